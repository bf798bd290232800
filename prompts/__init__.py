"""The prompt templates, as package data (read by rag/answer/prompts.py)."""
