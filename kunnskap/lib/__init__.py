"""Helpers shared by several apps that belong to none of them: tokens, PDF, CSV, requests."""
