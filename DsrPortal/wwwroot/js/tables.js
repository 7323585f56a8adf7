// Tables on a phone: each row becomes a card whose cells carry their column's name (app.css shows it through
// data-label below 600 pixels), and a table that still scrolls sideways can be reached and scrolled with the keyboard.
// Blazor renders and re-renders tables at any time, so new ones are labelled as they appear.
(function () {
    'use strict';

    function label(table) {
        var headers = Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) {
            return th.textContent.trim();
        });
        if (headers.length === 0) {
            return;
        }
        table.classList.add('dsr-cards');
        Array.prototype.forEach.call(table.querySelectorAll('tbody tr'), function (row) {
            if (row.children.length !== headers.length) {
                return;
            }
            Array.prototype.forEach.call(row.children, function (cell, i) {
                if (headers[i] && cell.getAttribute('data-label') !== headers[i]) {
                    cell.setAttribute('data-label', headers[i]);
                }
            });
        });
    }

    function focusable(container) {
        var scrolls = container.scrollWidth > container.clientWidth + 1 || container.scrollHeight > container.clientHeight + 1;
        if (scrolls && !container.hasAttribute('tabindex')) {
            container.setAttribute('tabindex', '0');
        } else if (!scrolls && container.getAttribute('tabindex') === '0') {
            container.removeAttribute('tabindex');
        }
    }

    var pending = false;
    function update() {
        pending = false;
        Array.prototype.forEach.call(document.querySelectorAll('main table'), label);
        Array.prototype.forEach.call(document.querySelectorAll('.mud-table-container'), focusable);
    }

    function schedule() {
        if (!pending) {
            pending = true;
            window.requestAnimationFrame(update);
        }
    }

    new MutationObserver(schedule).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    window.addEventListener('resize', schedule);
    schedule();
})();
