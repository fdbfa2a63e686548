"""Command line: `python main.py check FILE... [--type T] [--json]`. Never imports Qt.

Exit status: 0 no errors, 1 errors found, 2 a file could not be read (the others are still checked).
`compare` exits 1 when the new report is mostly copied or leaves a promise unmentioned.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from core import __version__, resources, schema
from core.check.blocking import blocking_findings
from core.check.checklist import rules_with
from core.check.compare import PreviousReport
from core.check.engine import CheckResult, check, excerpt, line_column
from core.check.findings import SEVERITY_LABELS
from core.check.rules.problems import short
from core.files.textio import ReadError, read_report_with_notes
from core.text.metadata import report_unit
from core.text.stats import ROLE_NAMES

STATUS_LABEL = {"pass": "通过", "warn": "注意", "fail": "不通过"}


def finding_json(text: str, f) -> dict:
    line, column = line_column(text, f.start)
    return {"rule": f.rule, "severity": f.severity, "message": f.message,
            "start": f.start, "end": f.end, "line": line, "column": column,
            "excerpt": excerpt(text, f.start, f.end), "suggestion": f.suggestion}


def result_json(path: str, result: CheckResult) -> dict:
    doc = result.document
    findings = [finding_json(doc.text, f) for f in result.findings]
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
        "stats_excluded": [s.to_json() for s in result.stats_excluded],
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
        print(f"  第{line}行第{column}列 [{SEVERITY_LABELS[f.severity]}] {titles.get(f.rule, f.rule)}："
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
            print(json.dumps({"file": path, "stats": [s.to_json() for s in result.stats],
                              "stats_excluded": [s.to_json() for s in result.stats_excluded]},
                             ensure_ascii=False))
            continue
        print(f"== {path}")
        if not result.stats:
            print("  （没有找到可统计的事项）")
        for item in result.stats:
            line, column = line_column(result.document.text, item.start)
            print(f"  {item.item}：{item.display()}　第{line}行第{column}列")
        if result.stats_excluded:
            print("  不计入本期（计划、要求、引用前文或其中部分的数）：")
        for item in result.stats_excluded:
            line, column = line_column(result.document.text, item.start)
            print(f"    {item.item}：{item.display()}（{ROLE_NAMES[item.role]}）　第{line}行第{column}列")
    return status


def _say_when_waiting(out):
    """A ledger export's progress: silent, but for waiting on another export of the same ledger."""
    def progress(_step, _total, label):
        if label.startswith("等待"):
            print(f"台账“{out}”正由别人写入，{label}……", file=sys.stderr, flush=True)
    return progress


def run_ledger(args: argparse.Namespace) -> int:
    # deferred: openpyxl and python-docx are slow to import; only the commands that write Office files load them
    from core.office.ledger import LedgerError
    from core.office.report_ledger import PeriodUnknown, UnitBlank, export_to_ledger, replaced_text

    status = 0
    for path, text in _read_each(args.files):
        if text is None:
            status = 2
            continue
        result = check(text)
        try:
            summary = export_to_ledger(args.out, result, unit=args.unit, period=args.period, source_file=str(path),
                                       title=args.title, progress=_say_when_waiting(args.out))
        except PeriodUnknown as exc:
            print(f"“{path}”：{exc}，请用 --period 指定，如 --period 2024年第三季度。", file=sys.stderr)
            status = 2
            continue
        except UnitBlank as exc:
            print(f"“{path}”：{exc}，请用 --unit 指定单位名称，如 --unit 市审计局。", file=sys.stderr)
            status = 2
            continue
        except LedgerError as exc:
            print(str(exc), file=sys.stderr)
            return 2  # the ledger itself is unusable: the next files would fail the same way
        note = replaced_text(summary)
        print(f"已将“{path}”的{summary['items']}项统计写入台账“{args.out}”：{summary['unit']} {summary['period']} "
              f"{summary['type']}{'，' + note if note else ''}")
    return status


def run_export(args: argparse.Namespace) -> int:
    # deferred: python-docx, as above
    from core.office.docx_export import FONT_SETS, ExportError, export_docx, parse_date, signature_warning

    date = None
    if args.date:
        date = parse_date(args.date)
        if date is None:
            print(f"成文日期“{args.date}”无法识别，请写成 2025-01-05 或 2025年1月5日。", file=sys.stderr)
            return 2
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
        # the 落款 the report itself names, unless --unit says otherwise
        unit = args.unit or report_unit(result.document).signer
        warning = signature_warning(result.document.text, unit, date, result.document.meta.type)
        if warning:
            hint = "可用 --unit 指定落款单位" if not unit else "可用 --date 指定成文日期"
            print(f"注意：“{path}”{warning}{hint}。", file=sys.stderr)
        try:
            export_docx(result.document.text, args.docx, unit=unit, date=date, report_type=result.document.meta.type,
                        fonts=FONT_SETS[args.fonts])
        except ExportError as exc:
            print(str(exc), file=sys.stderr)
            return 2
        print(f"已导出“{args.docx}”（GB/T 9704 版式）。")
    return 0


def run_annotate(args: argparse.Namespace) -> int:
    from core.office.annotate import AnnotateError, annotate_file, default_output  # deferred: python-docx

    out = args.out or str(default_output(args.file))
    try:
        summary = annotate_file(args.file, out, info=args.info, report_type=args.type)
    except ReadError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except AnnotateError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    moved = f"，其中{summary.on_heading}条没有对应的文字（如缺少的部分），标在最近的标题上" if summary.on_heading else ""
    print(f"已写入“{summary.path}”：{summary.comments}条批注{moved}，标题上另有一条检查清单汇总"
          f"（错误{summary.errors}处，警告{summary.warnings}处）。")
    return 1 if summary.errors else 0


def run_compare(args: argparse.Namespace) -> int:
    texts = [text for _path, text in _read_each([args.old, args.new], args.json)]
    if any(text is None for text in texts):
        return 2
    old_text, new_text = texts
    previous = PreviousReport(old_text, name=f"上期报告“{os.path.basename(args.old)}”", report_type=args.type)
    result = check(new_text, report_type=args.type, previous=previous)
    comparison = result.comparison
    text = result.document.text
    flagged = [f for f in result.findings if f.rule in rules_with("needs_previous")]
    if args.json:
        out = {"old": args.old, "new": args.new, **comparison.to_json(),
               "findings": [finding_json(text, f) for f in flagged]}
        for promise in out["promises"]:
            if promise["evidence"]:
                promise["line"] = line_column(text, promise["evidence"][0])[0]
        print(json.dumps(out, ensure_ascii=False))
        return 1 if flagged else 0
    print(f"== 上期：{args.old}\n== 本期：{args.new}")
    print(f"雷同：本期{comparison.sentences}句中有{len(comparison.reused)}句与上期相同或基本相同"
          f"（{comparison.share:.0%}），其中完全相同{comparison.identical}句。")
    for r in comparison.reused[:args.show]:
        line, _ = line_column(text, r.start)
        mark = "相同" if r.identical else f"相似{r.similarity:.0%}"
        print(f"  第{line}行 [{mark}] {short(text[r.start:r.end], 40)}")
    if len(comparison.reused) > args.show:
        print(f"  ……另有{len(comparison.reused) - args.show}句（--show N 显示更多）")
    if comparison.promises:
        print(f"上期承诺（{len(comparison.promises)}条），本期工作情况中：")
        for p in comparison.promises:
            if p.mentioned:
                where = f"已写到（第{line_column(text, p.evidence[0])[0]}行）"
            else:
                where = "未写到"
            print(f"  [{where}] {p.title.rstrip('。；')}")
    both = [c for c in comparison.counts if c.old is not None and c.new is not None]
    if both:
        print("统计数字（上期 → 本期）：")
        for c in sorted(both, key=lambda c: not c.went_down):
            print(f"  {c.item}：{c.old_display} → {c.new_display}{'　↓减少' if c.went_down else ''}")
    for label, side in (("仅上期写到", "old"), ("仅本期写到", "new")):
        only = [c for c in comparison.counts if getattr(c, side) is not None
                and getattr(c, "new" if side == "old" else "old") is None]
        if only:
            shown = "、".join(f"{c.item}{c.old_display if side == 'old' else c.new_display}" for c in only)
            print(f"{label}：{shown}")
    for note in comparison.notes:
        print(f"说明：{note}")
    for f in flagged:
        print(f"[{SEVERITY_LABELS[f.severity]}] {f.message}")
    return 1 if flagged else 0


def run_batch(args: argparse.Namespace) -> int:
    from core.review.batch import BatchError  # deferred: openpyxl, process pool
    from core.review.batch import run_batch as review_folder

    interactive = sys.stderr.isatty()

    def progress(done: int, total: int, file: str) -> None:
        if interactive:
            print(f"\r已审查 {done}/{total}", end="", file=sys.stderr, flush=True)
        elif done == total or done % 50 == 0:
            print(f"已审查 {done}/{total}", file=sys.stderr)

    try:
        summary = review_folder(args.folder, args.out, workers=args.workers, report_type=args.type,
                                progress=progress, annotate=args.annotate, annotate_info=args.info,
                                tongbao=args.tongbao)
    except BatchError as exc:
        print(("\n" if interactive else "") + str(exc), file=sys.stderr)
        return 2
    if interactive:
        print(file=sys.stderr)
    state = "已取消，" if summary.cancelled else ""
    print(f"{state}共审查{summary.reviewed}份（其中无法读取{summary.unreadable}份），用时{summary.seconds:.1f}秒，"
          f"结果已写入“{summary.path}”（总览、明细、台账）。")
    if summary.skipped_own:
        print(f"另有{summary.skipped_own}份是本程序起草的情况通报，没有作为报告审查。")
    if summary.annotate_folder is not None:
        failed = f"，{summary.annotate_failed}份未能写出（原因见总览“说明”列）" if summary.annotate_failed else ""
        print(f"带批注的文档{summary.annotated}份已写入“{summary.annotate_folder}”{failed}。")
    if summary.tongbao:
        print(f"情况通报草稿已写入“{summary.tongbao}”：请填写主送、落款和日期（××××），核对后使用。")
    if summary.worst:
        shown = "；".join(f"{f}（{'无法读取' if s is None else f'{s}分'}）" for f, s in summary.worst)
        print(f"最需要关注：{shown}")
    return 130 if summary.cancelled else 0


def _rule_file(arg: str) -> tuple[str, Path, bool]:
    """(declared name, path, shipped?) of a rule file named on the command line: a path under
    resources/ is the shipped file, anything else is taken as a user's copy (recognised by its place
    in the per-user folder or by its file name); a bare declared name (rules/terms.toml) means the
    user's copy when there is one, else the shipped file. Raises ValueError with a Chinese reason."""
    declared = schema.declared_files(resources.resources_dir())
    path = Path(arg)
    if not path.exists() and arg.replace("\\", "/") in declared:
        name = arg.replace("\\", "/")
        user = resources.user_data_dir() / name
        return (name, user, False) if user.exists() else (name, resources.resources_dir() / name, True)
    if not path.is_file():
        raise ValueError(f"找不到文件“{arg}”。")
    for base, shipped in ((resources.resources_dir(), True), (resources.user_data_dir(), False)):
        try:
            name = path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
        if name in declared:
            return name, path, shipped
    by_name = [n for n in declared if Path(n).name == path.name]
    if len(by_name) == 1:
        return by_name[0], path, False
    names = "、".join(Path(n).name for n in declared)
    raise ValueError(f"“{arg}”不是规则或词表文件：文件名应为 {names} 之一。")


def run_rules_test(args: argparse.Namespace) -> int:
    # deferred: the example runner loads every rule; only this command needs it
    from core.check.examples import run_shipped_file, run_user_file

    files = args.files
    if not files:
        folder = resources.user_data_dir()
        files = [str(folder / n) for n in schema.declared_files(resources.resources_dir()) if (folder / n).exists()]
        if not files:
            print(f"个人数据文件夹（{folder}）里还没有自己的规则或词表文件。"
                  f"指定一个文件来测试，如：main.py rules test rules/terms.toml")
            return 0
    status = 0
    for arg in files:
        try:
            name, path, shipped = _rule_file(arg)
            report = run_shipped_file(name) if shipped else run_user_file(
                name, path.read_bytes().decode("utf-8-sig"))
        except ValueError as exc:  # UnicodeDecodeError is one too
            reason = "不是 UTF-8 编码，请用记事本“另存为”UTF-8。" if isinstance(exc, UnicodeDecodeError) else str(exc)
            print(f"无法测试“{arg}”：{reason}", file=sys.stderr)
            status = 2
            continue
        except OSError as exc:
            print(f"无法读取“{arg}”：{exc.strerror or exc}", file=sys.stderr)
            status = 2
            continue
        whose = "程序自带" if shipped else "自己的"
        print(f"== {path}（{whose}{schema.file_title(resources.resources_dir(), name)}，{name}）")
        if report.problems:
            print("写法有误：")
            for problem in report.problems:
                print(f"  {problem}")
        for example, failed in report.failed:
            for reason in failed:
                print(f"  未通过：{example.where}：{reason}")
        total, bad = len(report.results), len(report.failed)
        said = []
        if report.problems:
            said.append(f"写法有误{len(report.problems)}处（这些条目检查时不用）")
        if total:
            said.append(f"例子{total}条，" + ("全部通过" if not bad else f"通过{total - bad}条，未通过{bad}条"))
        elif not report.problems:
            said.append("没有例子（条目中写上 example 和 counterexample 就会运行）")
        print(f"合计：{'；'.join(said)}。")
        if not report.ok and status == 0:
            status = 1
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py", description="主体责任报告助手（命令行）")
    parser.add_argument("--version", action="version", version=f"{resources.APP_NAME} {__version__}",
                        help="显示版本号")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="检查报告，列出检查清单和问题")
    p.add_argument("files", nargs="+", metavar="FILE", help=".txt 或 .docx 报告")
    p.add_argument("--type", choices=list(resources.report_types()), help="指定报告类型（默认按标题识别）")
    p.add_argument("--json", action="store_true", help="每个文件输出一个 JSON 对象（每行一个）")
    p.set_defaults(func=run_check)

    p = sub.add_parser("stats", help="列出报告中的统计事项（党组会次数、谈心谈话人次……）")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="每个文件输出一个 JSON 对象（每行一个）")
    p.set_defaults(func=run_stats)

    p = sub.add_parser("ledger", help="把报告的统计事项追加到 Excel 台账")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--out", required=True, metavar="LEDGER.xlsx", help="台账工作簿（不存在则新建）")
    p.add_argument("--unit", help="单位（默认取报告标题、落款或导语中写明的单位）")
    p.add_argument("--period", help="报告期，如“2024年第三季度”“2024年度”（默认取自报告标题）")
    p.add_argument("--title", metavar="单位", help="台账各表标题中写的单位，如“市直机关工委”（记在台账中，以后沿用；"
                   "默认：台账只有一个单位时写它，有几个单位时不写）")
    p.set_defaults(func=run_ledger)

    p = sub.add_parser("export", help="按 GB/T 9704 版式导出 Word 文档")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--docx", required=True, metavar="OUT.docx")
    p.add_argument("--unit", help="落款单位（默认取报告中写明的单位；报告已有落款时不另加）")
    p.add_argument("--date", metavar="日期", help="成文日期，落款下的日期，如 2025-01-05 或 2025年1月5日（不给则没有日期）")
    p.add_argument("--force", action="store_true", help="还有空白或网页残留时也导出")
    p.add_argument("--fonts", choices=("gb2312", "windows", "founder"), default="gb2312",
                   help="公文字体：gb2312（仿宋_GB2312 等，默认）、windows（Windows 自带的仿宋、楷体、黑体）、"
                        "founder（方正仿宋_GBK 等）")
    p.set_defaults(func=run_export)

    p = sub.add_parser("annotate", help="把检查结果作为批注写进报告的 Word 副本")
    p.add_argument("file", metavar="FILE", help=".docx 或 .txt 报告（.txt 按 GB/T 9704 版式导出后加批注）")
    p.add_argument("--out", metavar="OUT.docx", help="带批注的副本（默认：原文件名_审阅.docx，放在原文件旁）")
    p.add_argument("--info", action="store_true", help="“提示”级别的问题也加批注（默认只加错误和警告）")
    p.add_argument("--type", choices=list(resources.report_types()), help="指定报告类型（默认按标题识别）")
    p.set_defaults(func=run_annotate)

    p = sub.add_parser("compare", help="与上期报告对比：雷同句子、上期承诺的落实、数字增减")
    p.add_argument("old", metavar="OLD", help="上期报告（.txt 或 .docx）")
    p.add_argument("new", metavar="NEW", help="本期报告")
    p.add_argument("--type", choices=list(resources.report_types()), help="指定报告类型（默认按标题识别）")
    p.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    p.add_argument("--show", type=int, default=10, metavar="N", help="列出前 N 个雷同句子（默认10）")
    p.set_defaults(func=run_compare)

    p = sub.add_parser("batch", help="批量审查一个文件夹（含子文件夹）中的全部报告，结果写入 Excel")
    p.add_argument("folder", metavar="FOLDER")
    p.add_argument("--out", required=True, metavar="REVIEW.xlsx", help="审查结果工作簿（已有则替换）")
    p.add_argument("--type", choices=list(resources.report_types()), help="把所有报告都按这一类型检查（默认逐份按标题识别）")
    p.add_argument("--workers", type=int, default=None, metavar="N", help="并行的检查进程数（默认为CPU核数）")
    p.add_argument("--annotate", metavar="DIR",
                   help="把每份报告加上批注后存入这个文件夹（保持原来的子文件夹，.txt 存为 .docx），总览中附链接")
    p.add_argument("--info", action="store_true", help="与 --annotate 一起用：“提示”级别的问题也加批注")
    p.add_argument("--tongbao", metavar="通报.docx", help="根据审查结果起草一份情况通报（GB/T 9704 版式）")
    p.set_defaults(func=run_batch)

    p = sub.add_parser("rules", help="规则与词表文件：检查写法，运行其中的例子")
    rules = p.add_subparsers(dest="rules_command", required=True)
    p = rules.add_parser("test", help="检查规则或词表文件的写法，并运行其中的例子（⟦ ⟧ 标出应查出的文字）")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="规则或词表文件（默认：个人数据文件夹里自己的全部规则和词表）")
    p.set_defaults(func=run_rules_test)
    return parser


def main(argv: list[str]) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # a GBK console must not crash on a rare character
        except (AttributeError, ValueError):
            pass
    args = build_parser().parse_args(argv)
    try:
        if args.command != "rules":
            # a bad entry in the user's own lists is left out, and said once (rules test lists them itself)
            for problem in resources.user_problems():
                print(f"注意：{problem}", file=sys.stderr)
        return args.func(args)
    except resources.ResourceError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader (e.g. `| head`) went away: stop quietly, as command-line tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def console() -> int:
    """The installed command `report-assistant-cli` (pyproject [project.scripts])."""
    return main(sys.argv[1:])
