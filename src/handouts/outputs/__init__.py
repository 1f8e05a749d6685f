"""One module per kind of output, each behind the one Output interface.

A kind imports its renderer (``handouts.render``, and with it ReportLab, Pillow, PDFium and
genanki: 0.2-0.3 s of imports) inside its task's ``make``, never at the top of its module:
planning needs none of it, so a build with nothing to make (the usual rebuild) never loads
them (issue 19: a no-op build under 0.2 s).  ``tests/test_cli.py`` checks that it does not.
"""
