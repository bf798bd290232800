"""Papers are named by the name they give themselves, not by a field's vocabulary."""

from rag.answer.naming import common_terms, mention, short_name
from rag.text import name_terms

SPARK = ("We identify and overcome two key obstacles in extending the success of BERT-style pre-training to convolutional "
         "networks (convnets). Our method called Sparse masKed modeling (SparK) is general. SparK improves ResNet.")
FEDGATE = ("Personalized federated learning (FL) handles heterogeneous clients. Existing FL methods are costly. We propose "
           "a novel approach named pFedGate for efficient personalized FL. pFedGate adapts sparse models.")


def test_title_prefix_is_the_name():
    assert short_name("FinalMLP: An Enhanced Two-Stream MLP Model for CTR Prediction") == "FinalMLP"


def test_names_the_abstract_defines_or_introduces():
    assert short_name("Designing BERT for Convolutional Networks: Sparse and Hierarchical Masked Modeling", SPARK) == "SparK"
    assert short_name("Efficient Personalized Federated Learning via Sparse Model-Adaptation", FEDGATE) == "pFedGate"


def test_field_vocabulary_is_never_a_papers_name():
    abstract = "Reinforcement learning (RL) agents need data. We study RL with language models (LMs) as policies."
    common = common_terms(name_terms(t) for t in ["RL is hard.", "We use RL.", "RL agents learn."])
    assert short_name("Language Models for Offline Policies", abstract, common) == "Language Models for Offline Policies"


def test_mention_carries_name_and_title():
    title = "Efficient Personalized Federated Learning via Sparse Model-Adaptation"
    assert mention(title, FEDGATE) == f"pFedGate ({title})"
    assert mention("FinalMLP: An Enhanced Two-Stream MLP Model") == "FinalMLP: An Enhanced Two-Stream MLP Model"


def test_a_term_the_abstract_only_defines_is_not_the_papers_name():
    atm = ("We forecast ATM cash withdrawals with ARIMA, random forest (RF) and support vector regressor (SVR). "
           "The random forest (RF) yielded the best error; RF beat LSTM.")
    title = "ATM Cash demand forecasting in an Indian Bank"
    assert short_name(title, atm) == title
    qlae = "We quantize the latent space. Our quantized-latent autoencoder (QLAE) beats prior work; QLAE is simple."
    assert short_name("Disentanglement via Latent Quantization", qlae) == "QLAE"
    tee = "Transformers as Treatment Effect Estimators (TransTEE) is proposed. TransTEE beats baselines."
    assert short_name("Exploring Transformer Backbones for Treatment Effect Estimation", tee) == "TransTEE"
