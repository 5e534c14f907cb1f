"""The web application: pages, editing, accounts."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask, Response, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from tracker import i18n
from tracker.policy import Action
from tracker.views import compression, localized, pagecache
from tracker.views.accounts import bp as accounts_bp
from tracker.views.activity import bp as activity_bp
from tracker.views.bulk import bp as bulk_bp
from tracker.views.calendars import PUBLIC_ENDPOINTS as CALENDAR_ENDPOINTS
from tracker.views.calendars import bp as calendars_bp
from tracker.views.common import IdConverter, may, may_read, milestone_link, refuse_nul
from tracker.views.documents import bp as documents_bp
from tracker.views.focal_points import bp as focal_points_bp
from tracker.views.imports import bp as imports_bp
from tracker.views.imports import too_large_page as imports_too_large_page
from tracker.views.mail import PUBLIC_ENDPOINTS as MAIL_ENDPOINTS
from tracker.views.mail import bp as mail_bp
from tracker.views.measure_upload import bp as measure_upload_bp
from tracker.views.measure_upload import too_large_page as measures_too_large_page
from tracker.views.milestones import bp as milestones_bp
from tracker.views.pages import bp as pages_bp
from tracker.views.plans import bp as plans_bp
from tracker.views.saved import bp as saved_bp
from tracker.views.search import bp as search_bp

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _context() -> dict[str, Any]:
    # Who recorded what is shown by name; only administrators also see e-mail addresses.
    show_emails = may(Action.SEE_EMAILS)
    return {
        "today": date.today(),
        "user": current_user,
        "show_emails": show_emails,
        "may": may,
        "locale": i18n.current(),
    }


def _error_page(error: HTTPException) -> Any:
    if request.path.startswith("/api/"):
        return error  # the API answers in JSON itself
    if error.code == 413 and request.endpoint == "imports.upload":
        return imports_too_large_page()
    if error.code == 413 and request.endpoint == "measure_upload.upload":
        table_page = measures_too_large_page()
        if table_page is not None:
            return table_page
    # The page's words are the reader's: the reason given, or the status's own in their language.
    error.description = i18n.http_reason(error)
    page = render_template("error.html", error=error, title=i18n.http_name(error))
    return page, error.code or 500


def _read_gate() -> Any:
    public = {"accounts.login", "static", *CALENDAR_ENDPOINTS, *MAIL_ENDPOINTS}
    if request.endpoint in public or (request.endpoint or "").startswith("api"):
        return None
    if not may_read():
        return redirect(url_for("accounts.login", next=request.full_path))
    return None


def init_app(app: Flask) -> None:
    """Register the blueprints, error pages and security headers."""
    # Before any blueprint (the API's too) adds its rules.
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul)
    pagecache.init_app(app)
    for blueprint in (
        pages_bp,
        milestones_bp,
        accounts_bp,
        calendars_bp,
        imports_bp,
        mail_bp,
        activity_bp,
    ):
        app.register_blueprint(blueprint)
    app.register_blueprint(documents_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(bulk_bp)
    app.register_blueprint(saved_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(measure_upload_bp)
    app.register_blueprint(focal_points_bp)
    app.after_request(_security_headers)
    compression.init_app(app)
    app.context_processor(_context)
    app.add_template_global(milestone_link)
    localized.init_app(app)
    app.before_request(_read_gate)
    app.register_error_handler(HTTPException, _error_page)
