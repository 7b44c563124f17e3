"""Check your understanding: questions made from the run, their bank, and where they are asked.

:mod:`lecture.quiz.bank` holds the bank's schema (``questions.json`` in the lecture folder), reading,
checking and merging with an author's edits; :mod:`lecture.quiz.questions` makes the questions of
each chapter from the history and the sweeps.
"""
