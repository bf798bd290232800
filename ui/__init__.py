"""The Gradio chat page (`paperchat serve`)."""
