"""Voila delivery: the page API notebooks call (lesson), visits, the trainer board, the start page,
the Voila server and the generated page notebooks."""
