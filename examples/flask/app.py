"""A small Flask app the way many start: notes kept in Flask's default session, a cookie signed
with SECRET_KEY (nothing on the server)."""
import os

from flask import Flask, jsonify, request, session

app = Flask(__name__)
app.secret_key = os.environ.get("SECRET_KEY", "dev-secret")


@app.get("/healthz")
def healthz():
    return "ok"


@app.post("/notes")
def add_note():
    note = str((request.get_json(silent=True) or {}).get("note", ""))
    if not note:
        return jsonify(error="note is required"), 400
    session["notes"] = session.get("notes", []) + [note]
    return jsonify(notes=session["notes"]), 201


@app.get("/notes")
def notes():
    return jsonify(notes=session.get("notes", []))


# A login the way many tutorials write it: one demo user, the name put into the session as it is.
USERS = {os.environ.get("DEMO_USER", "demo"): os.environ.get("DEMO_PASSWORD", "demo-password")}


@app.post("/login")
def login():
    body = request.get_json(silent=True) or {}
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or USERS.get(username) != password:
        return jsonify(error="wrong username or password"), 401
    session["user"] = username
    return jsonify(user=username)


@app.get("/me")
def me():
    if "user" not in session:
        return jsonify(error="not logged in"), 401
    return jsonify(user=session["user"])


@app.post("/logout")
def logout():
    session.clear()
    return jsonify(ok=True)


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "5000")), threaded=True)
