"""Cradle's Simformer: one transformer giving any conditional of stellar parameters and observations.

Laid out like sbi (nets / losses / data / training / export / calibration), each part small and
testable alone. See native-models/README.md for the model card schema and the commands.
"""

__version__ = "0.1.0"
