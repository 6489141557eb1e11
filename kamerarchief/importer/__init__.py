"""The importer: plain-text (pdftotext) and OCR (Staten-Generaal Digitaal) kamerstukken into content.

Beside the build, never used by it. Sources become pages of lines (pdftext, sgd), lines become the
parts of a kamerstuk (text, recognise), the parts become YAML and Markdown (emit) merged into the
registries without touching what is there (registries), and run writes each document atomically.
"""
