#!/usr/bin/env python3
"""Opens a Rampart HTML report in headless Chromium (Selenium + chromedriver) and prints what it saw as JSON.

Used by HTMLBrowserTests (which asserts on the output) and by docs/performance.md's measurements.

    drive_html_report.py REPORT.html [--steps JSON] [--screenshots DIR] [--keyboard]

Output keys: ready, renderMs (navigation start to the script's first render), console (browser log entries at
warning level or above), requests (every URL the page asked for other than the report itself), alert (text of
any alert that opened), pwned (window.__pwned), images (number of <img> elements), counts (data-count values),
shown/groups/renderedRows/total, checklist ([item, status, evidence, action] rows), steps (per step: shown,
groups, rows — the text of the first finding rows — and ms, the time the step's filter or sort took),
keyboard (what arrow keys and Enter did), policyLink (whether following a finding's policy link opened it).
"""
import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException, UnexpectedAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


def find(*names):
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


def start_browser(javascript=True):
    options = webdriver.ChromeOptions()
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    binary = os.environ.get("RAMPART_CHROMIUM") or find("chromium", "chromium-browser", "google-chrome")
    if binary:
        options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--hide-scrollbars", "--force-device-scale-factor=1", "--no-first-run", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    options.set_capability("unhandledPromptBehavior", "ignore")
    driver_path = os.environ.get("RAMPART_CHROMEDRIVER") or find("chromedriver")
    # An explicit driver path keeps Selenium Manager from trying to download one.
    return webdriver.Chrome(service=Service(executable_path=driver_path), options=options)


def pending_alert(driver):
    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.dismiss()
        return text
    except NoAlertPresentException:
        return None


def table_state(driver):
    return driver.execute_script("""
        var rows = Array.prototype.slice.call(document.querySelectorAll('#findings-body tr.f'), 0, 5);
        return {shown: +document.getElementById('shown').textContent,
                groups: +document.getElementById('shown-groups').textContent,
                renderedRows: document.querySelectorAll('#findings-body tr.row').length,
                rows: rows.map(function (r) { return Array.prototype.map.call(r.cells, function (c) { return c.textContent; }); })};
    """)


def applies(driver):
    return driver.execute_script("return +(document.documentElement.dataset.applies || 0)")


def run_step(driver, step):
    """Applies one filter or sort through the page's own controls; ms is how long the page took to filter, sort
    and render the table (the script's own measurement of that one update)."""
    before = applies(driver)
    if "select" in step:
        found = driver.execute_script("""
            var s = document.getElementById(arguments[0]), label = arguments[1];
            var match = Array.prototype.find.call(s.options, function (o) { return o.textContent === label; });
            if (!match) return false;
            s.value = match.value;
            s.dispatchEvent(new Event('change'));
            return true;
        """, step["select"], step["value"])
        if not found:
            return {"error": "no option %r in %s" % (step["value"], step["select"])}
    elif "text" in step:
        box = driver.find_element(By.ID, "f-text")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
        box.clear()
        box.send_keys(step["text"])
    elif "sort" in step:
        button = driver.find_element(By.CSS_SELECTOR, '#findings-table thead th[data-key="%s"] button' % step["sort"])
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        button.click()
    elif "clear" in step:
        clear(driver)
    else:
        return {"error": "unknown step %r" % step}
    # Typing is debounced: wait for the update that follows the last key.
    WebDriverWait(driver, 60).until(lambda d: applies(d) > before and d.execute_script(
        "return document.getElementById('f-text').value === arguments[0]", step.get("text", d.find_element(By.ID, "f-text").get_attribute("value"))))
    if "text" in step:
        time.sleep(0.3)
    state = table_state(driver)
    state["ms"] = driver.execute_script("return +document.documentElement.dataset.applyMs")
    return state


def clear(driver):
    button = driver.find_element(By.ID, "f-clear")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()


def keyboard(driver):
    """Tabs into the table, moves down with the arrow key and opens the row with Enter."""
    first = driver.find_element(By.CSS_SELECTOR, "#findings-body tr.f")
    driver.execute_script("arguments[0].focus()", first)
    first_row = first.get_attribute("data-row")
    first.send_keys(Keys.ARROW_DOWN)
    focused = driver.execute_script("return document.activeElement.dataset.row || null")
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    detail = driver.execute_script("""
        var d = document.getElementById('detail');
        return d.hidden ? null : d.textContent;
    """)
    return {"firstRow": first_row, "focusedRow": focused, "detail": detail}


def policy_link(driver):
    link = driver.find_element(By.CSS_SELECTOR, "#findings-body tr.f a[href^='#policy-']")
    target = link.get_attribute("href").split("#", 1)[1]
    driver.execute_script("arguments[0].click()", link)
    return driver.execute_script("var d = document.getElementById(arguments[0]); return !!(d && d.open);", target)


def print_view(driver, pdf):
    """The page draws the filtered table in full (up to its print limit) before printing, and only the rows in
    view again afterwards; with `pdf`, also prints (which fires the same events)."""
    driver.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    rows = driver.execute_script("return document.querySelectorAll('#findings-body tr.row').length")
    note = driver.execute_script("return document.getElementById('print-note').textContent")
    driver.execute_script("window.dispatchEvent(new Event('afterprint'))")
    pdf_bytes = len(driver.print_page()) * 3 // 4 if pdf else None
    after = driver.execute_script("return document.querySelectorAll('#findings-body tr.row').length")
    return {"rows": rows, "note": note, "pdfBytes": pdf_bytes, "rowsAfter": after}


def screenshots(driver, directory, sections):
    directory.mkdir(parents=True, exist_ok=True)
    driver.set_window_size(1400, 1000)
    # The sticky section bar would cover the top of each section's picture.
    driver.execute_script("document.querySelector('nav.toc').style.display = 'none'")
    for section in sections:
        name = "html-%s.png" % section
        element = driver.find_elements(By.ID, section)
        if not element:
            continue
        # Tall enough for the whole section, so the picture shows all of it.
        height = driver.execute_script("return arguments[0].getBoundingClientRect().height", element[0])
        driver.set_window_size(1400, int(min(max(1000, height + 400), 3000)))
        time.sleep(0.3)
        driver.execute_script("arguments[0].scrollIntoView()", element[0])
        time.sleep(0.3)
        element[0].screenshot(str(directory / name))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("report")
    parser.add_argument("--steps", default="[]")
    parser.add_argument("--screenshots", help="directory to write html-SECTION.png into")
    parser.add_argument("--sections", default="overview,findings,checklist", help="sections to photograph")
    parser.add_argument("--keyboard", action="store_true")
    parser.add_argument("--print", action="store_true", help="report the rows the print view holds")
    parser.add_argument("--pdf", action="store_true", help="also print to PDF (slow for large tables)")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--no-javascript", action="store_true",
                        help="open with JavaScript off; the output then says what a reader without it sees")
    args = parser.parse_args()

    url = Path(args.report).resolve().as_uri()
    driver = start_browser(javascript=not args.no_javascript)
    result = {"url": url}
    if args.no_javascript:
        try:
            driver.get(url)
            result["ready"] = driver.execute_script("return document.documentElement.dataset.ready === 'true'")
            result["counts"] = {e.get_attribute("data-count"): int(e.text.replace(",", ""))
                                for e in driver.find_elements(By.CSS_SELECTOR, "[data-count]") if e.is_displayed()}
            result["visible"] = {section: driver.find_element(By.ID, section).is_displayed()
                                 for section in ("overview", "policies", "inputs")}
            result["charts"] = len(driver.find_elements(By.CSS_SELECTOR, "#overview svg"))
            result["noScriptNote"] = driver.find_element(By.CSS_SELECTOR, "#findings .no-js").is_displayed()
            result["table"] = driver.find_element(By.ID, "findings-table").is_displayed()
            result["checklistRows"] = len(driver.find_elements(By.CSS_SELECTOR, "table.checklist tbody tr"))
        finally:
            driver.quit()
        json.dump(result, sys.stdout)
        return
    try:
        driver.set_page_load_timeout(args.timeout)
        started = time.monotonic()
        try:
            driver.get(url)
        except UnexpectedAlertPresentException:
            pass
        result["alert"] = pending_alert(driver)
        try:
            WebDriverWait(driver, args.timeout).until(
                lambda d: d.execute_script("return document.documentElement.dataset.ready === 'true'"))
            result["ready"] = True
        except TimeoutException:
            result["ready"] = False
        result["wallMs"] = round((time.monotonic() - started) * 1000)
        result["renderMs"] = driver.execute_script("return +(document.documentElement.dataset.renderMs || -1)")
        result["pwned"] = driver.execute_script("return window.__pwned === undefined ? null : String(window.__pwned)")
        result["images"] = driver.execute_script("return document.getElementsByTagName('img').length")
        result["counts"] = driver.execute_script("""
            var out = {};
            document.querySelectorAll('[data-count]').forEach(function (e) { out[e.dataset.count] = +e.textContent.replace(/,/g, ''); });
            return out;
        """)
        result["checklist"] = driver.execute_script("""
            return Array.prototype.map.call(document.querySelectorAll('table.checklist tbody tr'), function (r) {
                return Array.prototype.map.call(r.cells, function (c) { return c.textContent.trim(); });
            });
        """)
        result.update(table_state(driver) if result["ready"] else {})
        if result["ready"]:
            result["total"] = int(driver.find_element(By.ID, "total").text)
            result["steps"] = [run_step(driver, step) for step in json.loads(args.steps)]
            if args.keyboard:
                clear(driver)
                result["keyboard"] = keyboard(driver)
                result["policyLink"] = policy_link(driver)
            if args.print:
                result["print"] = print_view(driver, args.pdf)
            if args.screenshots:
                clear(driver)
                driver.execute_script("window.scrollTo(0, 0)")
                screenshots(driver, Path(args.screenshots), args.sections.split(","))
        result["alert"] = result["alert"] or pending_alert(driver)
        result["console"] = [e for e in driver.get_log("browser") if e.get("level") in ("WARNING", "SEVERE")]
        requests = []
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                request_url = message["params"]["request"]["url"]
                if request_url.split("#", 1)[0] != url:
                    requests.append(request_url)
        result["requests"] = requests
    finally:
        driver.quit()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
