from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(label=_("토큰 이름"), max_length=100,
                           help_text=_("어디에 쓰는 토큰인지 적어 두세요. 예: 구청 GIS 연동"))


class UserForm(forms.Form):
    """Create or edit an account (admins only). Password only when creating."""

    username = forms.CharField(label=_("아이디"), max_length=150)
    last_name = forms.CharField(label=_("성"), max_length=150, required=False)
    first_name = forms.CharField(label=_("이름"), max_length=150, required=False)
    email = forms.EmailField(label=_("이메일"), required=False)
    role = forms.ChoiceField(label=_("역할"))
    district = forms.ModelChoiceField(label=_("자치구"), queryset=None, required=False,
                                      help_text=_("자치구 담당자는 꼭 고르세요."))
    programme = forms.ModelChoiceField(label=_("담당 사업"), queryset=None, required=False)
    is_active = forms.BooleanField(label=_("사용 가능"), required=False, initial=True)
    password = forms.CharField(label=_("처음 비밀번호"), widget=forms.PasswordInput, required=False,
                               help_text=_("새 계정에만 씁니다. 사용자가 로그인 뒤 바꾸게 하세요."))

    def __init__(self, *args, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        from seoul_digital.core.models import District, Programme
        from seoul_digital.core.roles import Role

        self.creating = creating
        self.fields["role"].choices = Role.choices
        self.fields["district"].queryset = District.objects.all()
        self.fields["programme"].queryset = Programme.objects.all()
        if creating:
            self.fields["password"].required = True
        else:
            del self.fields["password"]
            self.fields["username"].disabled = True

    def clean_password(self):
        from django.contrib.auth.password_validation import validate_password

        password = self.cleaned_data.get("password")
        if password:
            validate_password(password)
        return password
