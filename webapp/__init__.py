"""CoreSteady: guided exercise for lower back pain, offline first, with the trainer in the loop."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as settings
from .inputs import BoundedJSONProvider, IdConverter, refuse_nul_characters

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
    )
    app.json = BoundedJSONProvider(app)
    app.url_map.converters["int"] = IdConverter  # before any route is added
    # As in the Flask tutorial: defaults, then the environment, then the test's own; checked once all are in.
    app.config.from_mapping(settings.defaults())
    app.config.from_mapping(settings.from_environment())
    if config:
        app.config.update(config)
    settings.finish(app.config, app.instance_path)
    configure_logging(app)
    if app.config["TRUST_PROXIES"]:
        hops = app.config["TRUST_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.before_request(refuse_nul_characters)
    register_compression(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security(app)
    register_templates(app)
    register_jobs(app)
    register_content_rules(app)
    register_commands(app)
    serve_static_files(app)
    return app


def configure_logging(app: Flask) -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def register_compression(app: Flask) -> None:
    # Registered first so that it runs last, once every other hook has had its say on the body and headers.
    from .compression import compress

    app.after_request(compress)


def serve_static_files(app: Flask) -> None:
    from .static_files import StaticFiles

    app.wsgi_app = StaticFiles(
        app.wsgi_app,
        Path(app.static_folder),
        Path(app.instance_path) / "static-build",
        production=app.config.get("APP_ENV") == "production",
        live=app.debug,
    )


def register_extensions(app: Flask) -> None:
    from .auth.models import load_user
    from .extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    # Every limit here is a view's own, and its decorator checks it when the view runs. The extension also checks
    # every request before routing, for default and blueprint limits, which this app does not have: that look cost
    # each request as much as a duplicate sync's lookup, so it is taken out (a default or blueprint limit added one
    # day needs it back).
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:  # not there when RATELIMIT_ENABLED is off
        hooks.remove(limiter._check_request_limit)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"


def register_blueprints(app: Flask) -> None:
    from .account.views import bp as account_bp
    from .api.views import bp as api_bp
    from .auth.views import bp as auth_bp
    from .builder.views import bp as builder_bp
    from .bundle import AutoReloader
    from .content.views import bp as content_bp
    from .home.views import bp as home_bp
    from .messages.views import bp as messages_bp
    from .pwa.views import bp as pwa_bp
    from .sessions.views import bp as sessions_bp
    from .trainer.views import bp as trainer_bp
    from .trainer.views import joining as invites_bp

    for blueprint in (home_bp, auth_bp, content_bp, sessions_bp, api_bp, account_bp, pwa_bp, messages_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(builder_bp)
    for blueprint in (trainer_bp, invites_bp):
        app.register_blueprint(blueprint)
    # In development the shipped content reloads when its files change (CONTENT_AUTO_RELOAD).
    app.before_request(AutoReloader())


def register_errorhandlers(app: Flask) -> None:
    from .errors import register

    register(app)


def register_security(app: Flask) -> None:
    from .security import register

    register(app)


def register_templates(app: Flask) -> None:
    from .templating import register

    register(app)


def register_jobs(app: Flask) -> None:
    """Each kind of background work and its handler (the job runner, webapp/jobs/)."""
    from .auth.reset import register_jobs as reset_jobs
    from .mail import register_jobs as mail_jobs
    from .push.sending import register_jobs as push_jobs
    from .reminders.sending import register_jobs as reminder_jobs
    from .reminders.weekly import register_jobs as weekly_jobs
    from .trainer.dashboard import register_jobs as dashboard_jobs

    mail_jobs(app)
    reset_jobs(app)
    push_jobs(app)
    reminder_jobs(app)
    weekly_jobs(app)
    dashboard_jobs(app)


def register_content_rules(app: Flask) -> None:
    """What the library learns from the layers above it: the exercises each client's plans hold."""
    from .programs.services import register_kept_exercises

    register_kept_exercises(app)


def register_commands(app: Flask) -> None:
    from .commands import register

    register(app)
