"""Round trips of the gold through running Label Studio and doccano servers, over their HTTP APIs.

    python scripts/integration/roundtrip.py --label-studio http://127.0.0.1:8089 --ls-token TOKEN \
        --doccano http://127.0.0.1:8090 --doccano-user admin --doccano-password PASSWORD

Started by ``scripts/integration/run.sh`` (``make integration``), which installs and starts
the servers. For every gold set (annotations/gold and, when present, annotations/dev and
annotations/test): Label Studio gets the labeling config and the gold as finished
annotations (a second annotation per task by a second user, one primary category
changed); its JSON and JSON_MIN exports are imported back and compared with the gold
files byte for byte, and the two annotators are compared with the scorer. doccano gets
the sequence lines (a relation-extraction project) and the classification lines; its
JSONL exports (entities renumbered with doccano's ids, labels in its order) are imported
back and compared likewise. Prints one line per check and exits 1 on any failure.
"""
from __future__ import annotations

import argparse
import io
import json
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from extract.io import doccano, labelstudio  # noqa: E402
from extract.io.specs import gold_json  # noqa: E402

FAILURES: list[str] = []


def check(ok: bool, what: str) -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {what}", flush=True)
    if not ok:
        FAILURES.append(what)


def gold_sets() -> list[tuple[str, Path, Path]]:
    sets = []
    for gold in sorted(ROOT.glob("annotations/**/gold")):
        if "passes" not in gold.parts and (gold.parent / "docs").is_dir():
            sets.append((str(gold.relative_to(ROOT)), gold, gold.parent / "docs"))
    return sets


def read_set(gold: Path, docs: Path) -> list[tuple[Path, dict, str]]:
    return [(f, json.loads(f.read_text(encoding="utf-8")), (docs / f"{f.stem}.txt").read_text(encoding="utf-8"))
            for f in sorted(gold.glob("*.json"))]


def compare(name: str, files: list[Path], golds: list[dict]) -> None:
    back = {g["doc_id"]: gold_json(g) for g in golds}
    same = sum(back.get(f.stem) == f.read_text(encoding="utf-8") for f in files)
    check(same == len(files), f"{name}: {same}/{len(files)} gold files back byte for byte")


def wait(session, url: str, seconds: int = 300) -> None:
    end = time.time() + seconds
    while True:
        try:
            if session.get(url, timeout=5).status_code < 500:
                return
        except Exception:  # noqa: BLE001 - still starting
            pass
        if time.time() > end:
            raise SystemExit(f"{url}: no answer after {seconds} s")
        time.sleep(2)


# --------------------------------------------------------------------------- Label Studio

def label_studio(base: str, token: str, token_b: str | None) -> None:
    import requests

    from jixiao_eval import agreement

    s = requests.Session()
    s.headers["Authorization"] = f"Token {token}"
    wait(s, f"{base}/health")
    for name, gold, docs in gold_sets():
        items = read_set(gold, docs)
        r = s.post(f"{base}/api/projects", json={"title": f"jixiao {name}", "label_config": labelstudio.labeling_config()})
        check(r.status_code == 201, f"label-studio {name}: project created with jixiao's labeling config ({r.status_code})")
        if r.status_code != 201:
            print(r.text[:500])
            continue
        pid = r.json()["id"]
        tasks = [labelstudio.to_task(g, raw, "annotations") for _, g, raw in items]
        r = s.post(f"{base}/api/projects/{pid}/import", json=tasks)
        check(r.ok and r.json().get("task_count") == len(tasks),
              f"label-studio {name}: {len(tasks)} tasks with annotations imported ({r.status_code} {r.text[:200]})")
        if token_b:  # a second annotator: the same annotation with one primary category changed
            b = requests.Session()
            b.headers["Authorization"] = f"Token {token_b}"
            listed = s.get(f"{base}/api/tasks", params={"project": pid, "page_size": 1000}).json()
            for t in listed.get("tasks", listed if isinstance(listed, list) else []):
                result = json.loads(json.dumps(next(x for x in tasks if x["data"]["doc_id"] == t["data"]["doc_id"])
                                               ["annotations"][0]["result"]))
                prim = next((x for x in result if x.get("from_name") == "primary"), None)
                if prim:
                    prim["value"]["choices"] = ["disclosure" if prim["value"]["choices"] != ["disclosure"] else "other"]
                rr = b.post(f"{base}/api/tasks/{t['id']}/annotations", json={"result": result})
                if not rr.ok:
                    check(False, f"label-studio {name}: second annotation of task {t['id']} ({rr.status_code} {rr.text[:200]})")
                    break
        for fmt in ("JSON", "JSON_MIN"):
            r = s.get(f"{base}/api/projects/{pid}/export", params={"exportType": fmt, "download_all_tasks": "true"})
            check(r.ok, f"label-studio {name}: {fmt} export ({r.status_code})")
            if not r.ok:
                continue
            export = r.json()
            (ROOT / ".integration" / f"ls-{name.replace('/', '_')}-{fmt}.json").write_text(
                json.dumps(export, ensure_ascii=False, indent=1), encoding="utf-8")
            by, errors, notes = labelstudio.import_export(export, docs)
            check(errors == [], f"label-studio {name} {fmt}: imported with no refusal {errors[:2]}")
            annotators = sorted(by)
            print(f"     annotators: {annotators}; notes: {len(notes)}")
            if fmt == "JSON":
                mine = next((a for a in annotators if {g['doc_id'] for g in by[a]} and all(
                    gold_json(g) == (gold / f"{g['doc_id']}.json").read_text(encoding="utf-8") for g in by[a])), None)
                compare(f"label-studio {name} {fmt}", [f for f, _, _ in items], by.get(mine or annotators[0], []))
                if token_b:
                    check(len(annotators) == 2, f"label-studio {name} JSON: two annotators ({annotators})")
                    if len(annotators) == 2:
                        rep = agreement({g["doc_id"]: g for g in by[annotators[0]]},
                                        {g["doc_id"]: g for g in by[annotators[1]]}, docs)
                        check(rep["problems"]["f1"] == 1.0 and (rep["kappa_primary"] or 0) < 1.0,
                              f"label-studio {name}: agree between the two annotators: problems F1 "
                              f"{rep['problems']['f1']}, kappa {rep['kappa_primary']}")
            else:  # JSON_MIN has no relations: compare without the addresses links
                want = []
                for f, g, _ in items:
                    g = json.loads(json.dumps(g))
                    for m in g["measures"]:
                        m["addresses"] = []
                    want.append(gold_json(g))
                # the first annotator's work is the gold as imported (the second changed primaries)
                same = max((sum(got.get(f.stem) == w for (f, _, _), w in zip(items, want)), a) for a in annotators
                           for got in [{g["doc_id"]: gold_json(g) for g in by[a]}])
                check(same[0] == len(items), f"label-studio {name} JSON_MIN: {same[0]}/{len(items)} gold files of "
                                             f"annotator {same[1]} back byte for byte but for addresses")


# --------------------------------------------------------------------------- doccano

def doccano_run(session, base: str, pid: int, lines: list[dict], task: str, name: str) -> list[dict] | None:
    body = "".join(json.dumps(l, ensure_ascii=False) + "\n" for l in lines).encode("utf-8")
    r = session.post(f"{base}/v1/fp/process/", files={"filepond": ("lines.jsonl", body, "application/json")})
    if not r.ok:
        check(False, f"doccano {name}: file upload ({r.status_code} {r.text[:200]})")
        return None
    upload_id = r.text.strip()
    r = session.post(f"{base}/v1/projects/{pid}/upload",
                     json={"uploadIds": [upload_id], "format": "JSONL", "task": task, "column_data": "text",
                           "column_label": "label"})
    status = poll(session, base, r.json()["task_id"])
    errors = (status.get("result") or {}).get("error") or []
    check(status.get("ready") and not errors, f"doccano {name}: {len(lines)} lines imported as {task} {errors[:2]}")
    r = session.post(f"{base}/v1/projects/{pid}/download", json={"format": "JSONL", "exportApproved": False})
    task_id = r.json()["task_id"]
    poll(session, base, task_id)
    r = session.get(f"{base}/v1/projects/{pid}/download", params={"taskId": task_id})
    check(r.ok and r.content[:2] == b"PK", f"doccano {name}: JSONL export downloaded ({r.status_code})")
    out = []
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        for n in z.namelist():
            out += [json.loads(l) for l in z.read(n).decode("utf-8").splitlines() if l.strip()]
    (ROOT / ".integration" / f"doccano-{name.replace('/', '_')}-{task}.jsonl").write_text(
        "".join(json.dumps(l, ensure_ascii=False) + "\n" for l in out), encoding="utf-8")
    return out


def poll(session, base: str, task_id: str, seconds: int = 600) -> dict:
    end = time.time() + seconds
    while time.time() < end:
        status = session.get(f"{base}/v1/tasks/status/{task_id}").json()
        if status.get("ready"):
            return status
        time.sleep(1)
    raise SystemExit(f"doccano task {task_id} not done after {seconds} s (is `doccano task` running?)")


def doccano_api(base: str, user: str, password: str) -> None:
    import requests

    s = requests.Session()
    wait(s, f"{base}/v1/health/")
    r = s.post(f"{base}/v1/auth/login/", json={"username": user, "password": password})
    check(r.ok, f"doccano: login ({r.status_code})")
    s.headers["Authorization"] = f"Token {r.json()['key']}"
    s.cookies.clear()  # with the login's session cookie, doccano asks for a CSRF token; the token alone does not
    for name, gold, docs in gold_sets():
        items = read_set(gold, docs)
        r = s.post(f"{base}/v1/projects", json={
            "name": f"jixiao {name}", "description": "jixiao sequence round trip", "project_type": "SequenceLabeling",
            "resourcetype": "SequenceLabelingProject", "use_relation": True, "allow_overlapping": True,
            "guideline": ""})
        check(r.status_code == 201, f"doccano {name}: sequence-labeling project with relations ({r.status_code})")
        if r.status_code != 201:
            print(r.text[:500])
            continue
        lines = [doccano.to_sequence_line(g, raw) for _, g, raw in items]
        out = doccano_run(s, base, r.json()["id"], lines, "RelationExtraction", name)
        if out is not None:
            ids_kept = sum(e["id"] == i for l in out for i, e in enumerate(l.get("entities", []), 1))
            print(f"     doccano renumbered entities: {ids_kept} of {sum(len(l.get('entities', [])) for l in out)} "
                  f"kept their jixiao id")
            golds, errors = [], []
            for line in out:
                path = docs / f"{line.get('doc_id')}.txt"
                raw_bytes = path.read_bytes()
                try:
                    golds.append(doccano.from_sequence_line(line, raw_bytes.decode("utf-8"), raw_bytes, line["doc_id"]))
                except doccano.DoccanoError as e:
                    errors.append(str(e))
            check(errors == [], f"doccano {name}: sequence export imported with no refusal {errors[:2]}")
            compare(f"doccano {name} sequence", [f for f, _, _ in items], golds)
        r = s.post(f"{base}/v1/projects", json={
            "name": f"jixiao {name} categories", "description": "jixiao classification round trip",
            "project_type": "DocumentClassification", "resourcetype": "TextClassificationProject", "guideline": ""})
        check(r.status_code == 201, f"doccano {name}: classification project ({r.status_code})")
        if r.status_code != 201:
            continue
        lines = [l for _, g, raw in items for l in doccano.to_classification_lines(g, raw)]
        out = doccano_run(s, base, r.json()["id"], lines, "DocumentClassification", name)
        if out is not None:
            golds = {g["doc_id"]: json.loads(json.dumps(g)) for _, g, _ in items}
            reordered = sum(l["label"] != l.get("jixiao_categories") for l in out)
            msgs = doccano.apply_classification(golds, out)
            check(msgs == [], f"doccano {name}: classification export applied ({reordered} lines came back in another "
                              f"label order) {msgs[:2]}")
            compare(f"doccano {name} classification", [f for f, _, _ in items], list(golds.values()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--label-studio")
    ap.add_argument("--ls-token")
    ap.add_argument("--ls-token-b", help="token of a second Label Studio user (second annotator)")
    ap.add_argument("--doccano")
    ap.add_argument("--doccano-user", default="admin")
    ap.add_argument("--doccano-password")
    a = ap.parse_args()
    (ROOT / ".integration").mkdir(exist_ok=True)
    if a.label_studio:
        label_studio(a.label_studio.rstrip("/"), a.ls_token, a.ls_token_b)
    if a.doccano:
        doccano_api(a.doccano.rstrip("/"), a.doccano_user, a.doccano_password)
    print(f"{len(FAILURES)} failed" if FAILURES else "all round trips passed")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
