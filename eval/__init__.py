"""Evaluation of retrieval and answers against QA sets (see eval/README.md)."""
