"""Self-check: short multiple-choice questions whose feedback explains every option."""
