"""``handouts serve``: the front desk in a browser.

Find exercises, open their PDFs in either print size on either paper, make a client's program
(saved as ``programs/<name>.yaml``, the file the command line builds), print it and email it,
while the library is rebuilt in the background as its files change.  The files stay the source
of truth: the browser only ever reads and writes what a person could write by hand.
"""
