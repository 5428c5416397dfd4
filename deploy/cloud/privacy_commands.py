"""``facepay-cloud consents add|list|seed`` and ``facepay-cloud members erase``: the
operator's side of the consent registry and of erasure (a member who asks at the service
desk or in writing, not at a till).

What must not live here: the database work (``consent_registry``, ``erasure``) and
argument parsing (``cli``).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from deploy.cloud import consent_registry, erasure
from deploy.cloud.consent_registry import ConsentText
from deploy.cloud.database import Database

OK = 0


def run_consents(args: argparse.Namespace, db: Database) -> int:
    if args.consents_command == "add":
        return add_text(db, args.version, args.language, args.kind, args.file)
    if args.consents_command == "seed":
        with db.write() as conn:
            added = consent_registry.seed_texts(conn, consent_registry.terminal_texts())
        print(f"{added} consent text(s) registered from the terminal's texts")
        return OK
    return list_texts(db, args.kind, as_json=args.json)


def add_text(db: Database, version: str, language: str, kind: str, file: Path) -> int:
    # Exactly the words the till shows: the file's UTF-8 text without the final line
    # break an editor adds.
    words = file.read_bytes().decode("utf-8").rstrip("\r\n")
    text = ConsentText(version, language, kind, words)
    with db.write() as conn:
        added = consent_registry.register(conn, text)
    state = "registered" if added else "was registered already"
    print(f"{kind} consent text {version} ({language}) {state}; sha256 {text.sha256}")
    return OK


def list_texts(db: Database, kind: str | None, *, as_json: bool) -> int:
    with db.read() as conn:
        found = consent_registry.registered(conn, kind=kind)
    if as_json:
        json.dump([asdict(text) for text in found], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return OK
    if not found:
        print("no consent texts registered; 'facepay-cloud consents seed' adds the tills' texts")
        return OK
    width = max(len(text.version) for text in found)
    for text in found:
        print(f"{text.kind:<10}  {text.version:<{width}}  {text.language:<5}  {text.sha256}  "
              f"{text.created_at[:19]}")  # fmt: skip
    return OK


def run_members(args: argparse.Namespace, db: Database) -> int:
    done = erasure.erase_by_operator(db, args.member_id, args.requested_by)
    if done.repeat:
        when = f"on {done.created_at[:19]}" if done.created_at else "before erasures were kept"
        print(f"member {done.member_id} was erased already, {when}")
    else:
        print(f"member {done.member_id} erased (erasure {done.erasure_id})")
    return OK
