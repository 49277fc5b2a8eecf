"""The password hash: Argon2id with the parameters OWASP's Password Storage Cheat Sheet
gives as its first choice (19 MiB of memory, two passes, one lane), instead of Django's
default PBKDF2 with a million iterations. As hard to guess offline, but about a tenth of
the CPU time per login, so fifty people logging in at once on a deadline morning wait for
their own hash rather than for everyone else's.

Hashes made before keep working: Django checks them with the hasher that made them
(PBKDF2, or Argon2 with other parameters) and stores this one's hash at the next
successful login (`must_update`).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
