"""Personal workbooks: the batch that renders one notebook per participant, and its papermill engine."""
