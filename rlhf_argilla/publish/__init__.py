"""Publish a built dataset folder to the Hugging Face Hub (or write exactly what would be uploaded)."""
