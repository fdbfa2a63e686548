"""Command line: `python main.py check FILE... [--type T] [--json]`. Never imports Qt.

Exit status: 0 no errors, 1 errors found, 2 a file could not be read (the others are still checked).
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from core import resources
from core.engine import CheckResult, check, excerpt, line_column
from core.textio import ReadError, read_report_with_notes

TYPES = ("zhuti", "diyi", "shuze", "tongbao")
STATUS_LABEL = {"pass": "通过", "warn": "注意", "fail": "不通过"}
SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}


def result_json(path: str, result: CheckResult) -> dict:
    doc = result.document
    text = doc.text
    findings = []
    for f in result.findings:
        line, column = line_column(text, f.start)
        findings.append({"rule": f.rule, "severity": f.severity, "message": f.message,
                         "start": f.start, "end": f.end, "line": line, "column": column,
                         "excerpt": excerpt(text, f.start, f.end), "suggestion": f.suggestion})
    return {
        "file": path,
        "report": {"title": doc.title or "", "type": doc.meta.type, "unit": doc.meta.unit,
                   "year": doc.meta.year, "period": doc.meta.period},
        "sections": [{"level": h.level, "number": h.number, "title": h.title,
                      "start": h.start, "end": h.section_end} for h in doc.headings],
        "checklist": [{"id": i.id, "title": i.title, "status": i.status, "count": i.count}
                      for i in result.checklist],
        "findings": findings,
        "stats": [s.to_json() for s in result.stats],
    }


def print_text(path: str, result: CheckResult, out) -> None:
    doc = result.document
    meta = doc.meta
    profile = resources.profile(meta.type)
    print(f"== {path}", file=out)
    print(f"标题：{doc.title or '（无）'}", file=out)
    print(f"类型：{profile.name if profile else '未能识别'}　单位：{meta.unit or '—'}　"
          f"年份：{meta.year or '—'}　时段：{meta.period or '—'}", file=out)
    print("检查清单：", file=out)
    for item in result.checklist:
        count = f"（{item.count}处）" if item.count else ""
        print(f"  [{STATUS_LABEL[item.status]}] {item.title}{count}", file=out)
    if result.findings:
        print("问题：", file=out)
    titles = {rule: item.title for item in result.checklist for rule in item.rules}
    for f in result.findings:
        line, column = line_column(doc.text, f.start)
        hint = ""
        if f.suggestion is not None:
            hint = "　建议：删除" if f.suggestion == "" else f"　建议：改为“{f.suggestion}”"
        print(f"  第{line}行第{column}列 [{SEVERITY_LABEL[f.severity]}] {titles.get(f.rule, f.rule)}："
              f"{f.message}{hint}", file=out)
        print(f"      原文：{excerpt(doc.text, f.start, f.end)}", file=out)
    infos = len(result.findings) - result.errors - result.warnings
    print(f"合计：错误 {result.errors} 处，警告 {result.warnings} 处，提示 {infos} 处。", file=out)


def _read_each(paths: list[str], json_mode: bool = False):
    """(path, text) for each file; text is None for one that could not be read, which has been
    reported on stderr (and as {"file", "error"} in JSON mode) so the caller just moves on."""
    for path in paths:
        try:
            text, notes = read_report_with_notes(path)
        except ReadError as exc:
            print(str(exc), file=sys.stderr)
            if json_mode:
                print(json.dumps({"file": path, "error": exc.reason}, ensure_ascii=False))
            yield path, None
            continue
        for note in notes:  # what a .docx held that is not text: said, never dropped silently
            print(f"注意：“{path}”{note}", file=sys.stderr)
        yield path, text


def run_check(args: argparse.Namespace) -> int:
    status = 0
    for path, text in _read_each(args.files, args.json):
        if text is None:
            status = 2
            continue
        result = check(text, report_type=args.type)
        if args.json:
            print(json.dumps(result_json(path, result), ensure_ascii=False))
        else:
            print_text(path, result, sys.stdout)
        if result.errors and status == 0:
            status = 1
    return status


def run_stats(args: argparse.Namespace) -> int:
    status = 0
    for path, text in _read_each(args.files, args.json):
        if text is None:
            status = 2
            continue
        result = check(text)
        if args.json:
            print(json.dumps({"file": path, "stats": [s.to_json() for s in result.stats]}, ensure_ascii=False))
            continue
        print(f"== {path}")
        if not result.stats:
            print("  （没有找到可统计的事项）")
        for item in result.stats:
            line, column = line_column(result.document.text, item.start)
            print(f"  {item.item}：{item.display()}　第{line}行第{column}列")
    return status


def run_ledger(args: argparse.Namespace) -> int:
    from core.ledger import LedgerError
    from core.report_ledger import export_to_ledger

    status = 0
    for path, text in _read_each(args.files):
        if text is None:
            status = 2
            continue
        result = check(text)
        try:
            summary = export_to_ledger(args.out, result, unit=args.unit, period=args.period, source_file=str(path))
        except ValueError as exc:
            print(f"“{path}”：{exc}，请用 --period 指定，如 --period 2024年第三季度。", file=sys.stderr)
            status = 2
            continue
        except LedgerError as exc:
            print(str(exc), file=sys.stderr)
            return 2  # the ledger itself is unusable: the next files would fail the same way
        replaced = summary.get("rows_replaced", 0)
        note = f"（替换了该期原有的{replaced}行）" if replaced else ""
        print(f"已将“{path}”的{summary['items']}项统计写入台账“{args.out}”：{summary['unit']} {summary['period']}{note}")
    return status


BLOCKING_RULES = ("placeholder", "residue")


def blocking_findings(result: CheckResult) -> list:
    """Blanks and web residue: never exported silently."""
    return [f for f in result.findings if f.rule in BLOCKING_RULES and f.severity == "error"]


def run_export(args: argparse.Namespace) -> int:
    from core.docx_export import ExportError, export_docx

    for path, text in _read_each([args.file]):
        if text is None:
            return 2
        result = check(text)
        blocking = blocking_findings(result)
        if blocking and not args.force:
            blanks = sum(1 for f in blocking if f.rule == "placeholder")
            residue = len(blocking) - blanks
            print(f"“{path}”还有{blanks}处空白待填、{residue}处网页残留，未导出。请先处理，"
                  f"或加 --force 仍然导出。", file=sys.stderr)
            return 1
        try:
            export_docx(result.document.text, args.docx, unit=args.unit, report_type=result.document.meta.type)
        except ExportError as exc:
            print(str(exc), file=sys.stderr)
            return 2
        print(f"已导出“{args.docx}”（GB/T 9704 版式）。")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py", description="主体责任报告助手（命令行）")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="检查报告，列出检查清单和问题")
    p.add_argument("files", nargs="+", metavar="FILE", help=".txt 或 .docx 报告")
    p.add_argument("--type", choices=TYPES, help="指定报告类型（默认按标题识别）")
    p.add_argument("--json", action="store_true", help="每个文件输出一个 JSON 对象（每行一个）")
    p.set_defaults(func=run_check)

    p = sub.add_parser("stats", help="列出报告中的统计事项（党组会次数、谈心谈话人次……）")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="每个文件输出一个 JSON 对象（每行一个）")
    p.set_defaults(func=run_stats)

    p = sub.add_parser("ledger", help="把报告的统计事项追加到 Excel 台账")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--out", required=True, metavar="LEDGER.xlsx", help="台账工作簿（不存在则新建）")
    p.add_argument("--unit", help="单位（默认取自报告标题）")
    p.add_argument("--period", help="报告期，如“2024年第三季度”“2024年度”（默认取自报告标题）")
    p.set_defaults(func=run_ledger)

    p = sub.add_parser("export", help="按 GB/T 9704 版式导出 Word 文档")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--docx", required=True, metavar="OUT.docx")
    p.add_argument("--unit", help="落款单位（默认不加落款）")
    p.add_argument("--force", action="store_true", help="还有空白或网页残留时也导出")
    p.set_defaults(func=run_export)
    return parser


def main(argv: list[str]) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # a GBK console must not crash on a rare character
        except (AttributeError, ValueError):
            pass
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except resources.ResourceError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader (e.g. `| head`) went away: stop quietly, as command-line tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
