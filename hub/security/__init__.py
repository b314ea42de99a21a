"""Security features: two-factor authentication, administrator account recovery, lockout page.

Views in views.py, forms in forms.py, request checks in middleware.py, writes in services.py.
"""
