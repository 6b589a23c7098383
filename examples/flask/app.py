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


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "5000")), threaded=True)
