"""A built lecture as a learning-management system takes it: ``python -m lecture package``.

:mod:`lecture.package.built` reads the lecture folder the build published (its page, video,
tracks, pictures and question bank); :mod:`lecture.package.scorm` writes the SCORM 1.2 package
(the page with a glue script that reports the quiz to the LMS), :mod:`lecture.package.gift` the
questions as Moodle GIFT and :mod:`lecture.package.qti` as the QTI 1.2 zip Canvas imports;
:mod:`lecture.package.make_package` runs them and publishes the files. ``docs/package.md`` says
how to import each one.
"""
