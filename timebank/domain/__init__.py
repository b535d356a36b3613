"""Plain rules of the time bank: no SQL, no Flask."""
