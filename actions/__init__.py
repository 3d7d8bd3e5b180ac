"""Step 5-6: protection and empowerment strategies, the action checklist, budgets, and the one Commitment model."""
