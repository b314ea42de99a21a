"""The form that records a payment against a compensation or financial-penalty condition."""

from crispy_forms_gds.layout import Field
from django import forms

from cautions.forms import VersionedForm
from cautions.payment_models import PaymentMethod
from hub.datefields import GDSDateField


class PaymentForm(VersionedForm):
    amount = forms.DecimalField(label="Amount paid, in pounds", max_digits=8, decimal_places=2)
    paid_on = GDSDateField(label="Date paid")
    method = forms.ChoiceField(
        label="How was it paid?", choices=PaymentMethod.choices, widget=forms.RadioSelect
    )
    reference = forms.CharField(
        label="Payment reference",
        required=False,
        max_length=100,
        help_text="For example, the receipt or transaction number",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper(
            Field.text("amount", field_width=5),
            "paid_on",
            Field.radios("method"),
            Field.text("reference", field_width=20),
            submit="Record the payment",
        )
