"""Sewer-inspection engine: plain Python, no Django.

torch is imported only inside the training functions (``model.train_model``,
``export.export_onnx``); everything else (datasets, synth, screening, metrics, grading,
OCR) runs on numpy, OpenCV and ONNX Runtime.
"""
