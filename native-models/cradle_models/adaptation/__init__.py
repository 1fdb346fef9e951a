"""Domain adaptation (science doc, section III): per-survey modality encoders, the contrastive, optimal-
transport and real–simulated pair losses that align simulated and real embeddings, and the benchmark
that measures them (synthetic domain shift; real validation clusters)."""
