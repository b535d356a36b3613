from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from timebank.web.forms import TimebankForm


class SignInForm(TimebankForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address"),
                                                    Length(max=320)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password"),
                                                     Length(max=256)])


class ForgotPasswordForm(TimebankForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address"),
                                                    Length(max=320)])


class ResetPasswordForm(TimebankForm):
    password = PasswordField("New password", validators=[
        DataRequired("Enter a new password"), Length(max=256)])
    confirm = PasswordField("New password again", validators=[
        DataRequired("Enter the new password again"),
        EqualTo("password", "The two passwords are not the same")])


class ChangePasswordForm(ResetPasswordForm):
    current = PasswordField("Current password", validators=[
        DataRequired("Enter your current password"), Length(max=256)])


class CodeForm(TimebankForm):
    code = StringField("Code", validators=[DataRequired("Enter the code from your authenticator app"),
                                           Length(max=40, message="A code is 6 digits, or a recovery code")])


class SetupForm(TimebankForm):
    code = StringField("Code from the app", validators=[
        DataRequired("Enter the 6-digit code your app shows now"),
        Length(max=40, message="A code is 6 digits")])
