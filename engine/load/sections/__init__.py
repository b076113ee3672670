"""The rule-set builder, one module per rule-file section.

They share a :class:`~engine.load.sections.collector.Collector`, which records problems and knows the scales.
"""
