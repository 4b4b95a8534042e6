"""Typer command-line interface: one thin sub-app per stage; logic lives in the package."""
