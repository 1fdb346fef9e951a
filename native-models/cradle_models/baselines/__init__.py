"""Published and standard estimators the report compares the Simformer with on the same held-out stars."""
