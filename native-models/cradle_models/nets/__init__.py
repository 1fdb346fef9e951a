"""Architectures: the tokenizer, the context and velocity networks of the split Simformer."""

from cradle_models.nets.simformer import Simformer, SimformerConfig
from cradle_models.nets.tokens import TokenSet, attention_masks, split_tokens

__all__ = ["Simformer", "SimformerConfig", "TokenSet", "attention_masks", "split_tokens"]
