"""Manim scenes of the lecture: one segment a file, each reading the training history."""
