from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length


class SignInForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address"),
                                                    Length(max=320)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password"),
                                                     Length(max=256)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address"),
                                                    Length(max=320)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[
        DataRequired("Enter a new password"), Length(max=256)])
    confirm = PasswordField("New password again", validators=[
        DataRequired("Enter the new password again"),
        EqualTo("password", "The two passwords are not the same")])


class ChangePasswordForm(ResetPasswordForm):
    current = PasswordField("Current password", validators=[
        DataRequired("Enter your current password"), Length(max=256)])
