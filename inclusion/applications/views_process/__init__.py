"""The employer's processing of received applications (applications.md §3, §4, §5, §7, §9, §10, §11, §14, §15).

- `detail`: the detail page of an application received by the current company, with the actions allowed in its
  state, the transition history, internal comments; and the resume download (`application_resume`);
- `batch`: every action, on one application (the detail page's buttons) or several (the inbox); actions that need
  more input (answer, internal transfer target) keep the selection in the session under a random id and continue on
  their own page;
- `refusal`: the refusal wizard, on such a selection;
- `external_transfer`: a refused application sent again, as a new one, to another company;
- `geiq`: GEIQ prior actions.

Who may act comes from `perms.py`; every state change goes through `transitions.py` (and `prior_actions.py`,
`archiving.py`), whose French refusals are shown to the user, never a server error.
"""
