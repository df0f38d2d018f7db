"""How a job seeker's name is shown to a given viewer (organizations.md §2, applications.md §16)."""

from inclusion.users.perms import can_view_personal_information

# organizations.md §2: the masked form is the first letter of each word followed by an ellipsis.
MASK_SUFFIX = "…"


def masked_name(user):
    """The initials of the first and last names, each followed by "…": "Sophie Durand" → "S… D…".

    Words are split on spaces only, so a hyphenated name stays one word ("Jean-Pierre" → "J…") and
    "Marie Claire de La Tour" → "M… C… D… L… T…". Initials are upper-cased, like the last name in the full form.
    """
    return masked_text(f"{user.first_name} {user.last_name}")


def masked_text(text):
    """The masked form of any name: "Durand" → "D…" (organizations.md §2)."""
    return " ".join(f"{word[0].upper()}{MASK_SUFFIX}" for word in text.split())


def display_name_for(viewer, job_seeker, *, organization=None):
    """The full name ("Sophie DURAND") when the viewer may see personal information, else the masked one."""
    if can_view_personal_information(viewer, job_seeker, organization=organization):
        return job_seeker.get_full_name()
    return masked_name(job_seeker)
