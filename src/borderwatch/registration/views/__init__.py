"""Registration pages, one module per page group: group registration from an event, the person
and the day's registrations, fingerprint capture, identification progress, hits (the expert's
review and the other state's view of confirmed hits).

Thin: forms parse, selectors read (scoped by role and member state, auditing other states'
records), services write and audit. A record another state may not see answers 404, a role
without the capability 403.
"""
