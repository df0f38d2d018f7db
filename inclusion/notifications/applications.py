"""The e-mails of the applications journey (applications.md §4).

Each function is called by the rules (submission.py, transitions.py) inside their transaction; the e-mails leave
after commit through the task queue.
"""


def application_created(job_application):
    """applications.md §4 "creation": members of the target company, the job seeker, the proxy."""
