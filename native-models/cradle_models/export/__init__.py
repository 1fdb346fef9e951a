"""ONNX export of the context and velocity graphs, the model card, and the reference sampler."""
