"""Shape errors reproduced from public threads, and the explanations that are right for them."""
