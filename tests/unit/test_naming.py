"""Papers are named by the name they give themselves, not by a field's vocabulary."""

from rag.answer.naming import common_terms, contribution, mention, short_name
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


def test_a_component_the_proposal_uses_is_not_its_name():
    """From the bundled abstracts: the MLP a framework uses, a part named after the proposed model, a field's term."""
    deblur = ("Thus, we propose a novel real-time deblurring framework, deblurring 3D Gaussian Splatting, using a small "
              "Multi-Layer Perceptron (MLP) that manipulates the covariance of each 3D Gaussian.")
    common = common_terms(name_terms(t) for t in ["An MLP mixer.", "MLP heads.", "We train an MLP."])
    assert short_name("Deblurring 3D Gaussian Splatting", deblur, common) == "Deblurring 3D Gaussian Splatting"
    aki = ("To address this problem, we propose AKI, a novel MLLM that unlocks causal attention into modality-mutual "
           "attention (MMA) to enable image tokens to attend to text tokens. AKI achieves superior performance.")
    assert short_name("Seeing is Understanding: Unlocking Causal Attention into Modality-Mutual Attention", aki) == "AKI"
    tubules = "We propose tubule-sensitive CNNs-based segmentation for airways. The CNNs-based model wins."
    assert short_name("Learning Tubule-Sensitive CNNs for Pulmonary Airway Segmentation in CT", tubules) != "CNNs-based"


def test_a_name_proposed_in_the_past_tense_is_the_papers():
    fedpgp = ("Federated Prompt Learning (FPL) incorporates large pre-trained Vision-Language models into federated "
              "learning. To tackle this challenge, we proposed Federated Prompt Learning with CLIP Generalization and "
              "low-rank Personalization (FedPGP), which employs pre-trained CLIP. Further, FedPGP integrates a loss.")
    title = "Harmonizing Generalization and Personalization in Federated Prompt Learning"
    assert short_name(title, fedpgp) == "FedPGP"


def test_a_name_others_use_too_is_the_papers_when_the_abstract_calls_its_contribution_so():
    bert = "We introduce a new language representation model called BERT. BERT is pre-trained on unlabeled text."
    common = common_terms(name_terms(t) for t in ["We fine-tune BERT.", "BERT features.", "Unlike BERT, ours."])
    assert short_name("Pre-training of Deep Bidirectional Transformers for Language Understanding", bert, common) == "BERT"


def test_proposing_to_do_something_names_nothing():
    atm = ("This paper proposes to model chaos in the ATM cash withdrawal time series of a big Indian bank and forecast "
           "the withdrawals using deep learning methods. ATM withdrawals vary by day.")
    title = "ATM Cash demand forecasting in an Indian Bank with chaos and deep learning"
    assert short_name(title, atm) == title


def test_the_sentence_where_the_paper_says_what_it_contributes():
    sentences = ["Recent works propose many adapters.", "Adapters are costly.", "In this paper, we propose LoRA-X.",
                 "We present results on GLUE."]
    assert contribution(sentences) == 2 and contribution(sentences[:2]) is None
