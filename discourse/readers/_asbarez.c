/* The comment section of an Asbarez page, read header by header, in C.
 *
 * comment_section(text, off, first, top_right) is the twin of discourse.readers.asbarez.comment_section
 * (its specification; tests/readers/test_asbarez_c.py holds the two to each other): the section is
 * text[off:], its lines split at '\n' and numbered from `first`; for each comment it returns
 * (line, number or None, author, column, text, last line), or None when the section holds a tab or a
 * non-blank line that is neither a header nor indented past the column of the comment above it.
 *
 * A header is `_HEADER.fullmatch(line)`: spaces, then 1 to 7 decimal digits and '.' (Py_UNICODE_ISDECIMAL,
 * the regex engine's \d) or one bullet, one space, an author that starts and ends with a non-blank
 * character (Py_UNICODE_ISSPACE, the engine's \s), " said:", then spaces or tabs. A numbered header
 * counts only at the page's right edge (`top_right`), or further right with no indent. A blank line is
 * empty or all Py_UNICODE_ISSPACE (str.isspace); a body line loses its comment's column plus one
 * spaces, and one more if there is one, and its trailing blanks (str.rstrip).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static const Py_UCS4 BULLETS[] = {0x2022, 0x25E6, 0x25AA, 0x25AB, 0x2023, 0x25CB, 0x25CF, 0x25A0, 0x25A1};

static int is_bullet(Py_UCS4 c) {
    for (size_t k = 0; k < sizeof(BULLETS) / sizeof(BULLETS[0]); k++)
        if (BULLETS[k] == c) return 1;
    return 0;
}

typedef struct {
    Py_UCS4 *data;
    Py_ssize_t len, cap;
} Buf;

static int buf_reserve(Buf *b, Py_ssize_t more) {
    if (b->len + more <= b->cap) return 0;
    Py_ssize_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more) cap *= 2;
    Py_UCS4 *d = PyMem_Realloc(b->data, (size_t)cap * sizeof(Py_UCS4));
    if (!d) { PyErr_NoMemory(); return -1; }
    b->data = d;
    b->cap = cap;
    return 0;
}

/* the comment being read: its tuple's fields, its text so far */
typedef struct {
    int open;
    Py_ssize_t line, col, last;
    PyObject *num, *author;
    Buf text;
    int blank;
} Comment;

static int flush(Comment *c, PyObject *out) {
    if (!c->open) return 0;
    PyObject *text = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, c->text.data, c->text.len);
    if (!text) return -1;
    PyObject *t = Py_BuildValue("(nOOnNn)", c->line, c->num, c->author, c->col, text, c->last);
    Py_CLEAR(c->num);
    Py_CLEAR(c->author);
    c->open = 0;
    if (!t) return -1;
    int r = PyList_Append(out, t);
    Py_DECREF(t);
    return r;
}

static PyObject *comment_section(PyObject *self, PyObject *args) {
    PyObject *str;
    Py_ssize_t off, first, top_right;
    if (!PyArg_ParseTuple(args, "Unnn", &str, &off, &first, &top_right)) return NULL;
    int kind = PyUnicode_KIND(str);
    const void *data = PyUnicode_DATA(str);
    Py_ssize_t n = PyUnicode_GET_LENGTH(str);
    if (off < 0 || off > n) {
        PyErr_SetString(PyExc_ValueError, "offset outside the text");
        return NULL;
    }
    PyObject *out = PyList_New(0);
    if (!out) return NULL;
    Comment cur = {0};
    Py_ssize_t line = first;
    Py_ssize_t s = off;
    for (;;) {
        Py_ssize_t e = s;
        while (e < n && PyUnicode_READ(kind, data, e) != '\n') {
            if (PyUnicode_READ(kind, data, e) == '\t') goto not_here;
            e++;
        }
        /* the line is [s, e) */
        Py_ssize_t w = s;
        while (w < e && PyUnicode_READ(kind, data, w) == ' ') w++;
        Py_ssize_t width = w - s;
        /* a header? */
        int head = 0;
        Py_ssize_t j = w, digits = 0;
        PyObject *num = NULL;
        while (j < e && digits < 8 && Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, j))) { j++; digits++; }
        if (digits) {
            if (digits <= 7 && j < e && PyUnicode_READ(kind, data, j) == '.') {
                Py_ssize_t right = width + digits;
                if (right == top_right || (width == 0 && right > top_right)) { head = 1; j++; }
            }
        } else if (j < e && is_bullet(PyUnicode_READ(kind, data, j))) {
            head = 1;
            j++;
        }
        Py_ssize_t a = 0, t = 0;
        if (head) {
            t = e;
            while (t > s && (PyUnicode_READ(kind, data, t - 1) == ' ' || PyUnicode_READ(kind, data, t - 1) == '\t')) t--;
            a = j + 1;
            static const char said[] = " said:";
            head = j < e && PyUnicode_READ(kind, data, j) == ' ' && t - a >= 7;
            for (int k = 0; head && k < 6; k++)
                if (PyUnicode_READ(kind, data, t - 6 + k) != (Py_UCS4)said[k]) head = 0;
            if (head && (Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, a)) ||
                         Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, t - 7))))
                head = 0;
        }
        if (head) {
            if (flush(&cur, out) < 0) goto fail;
            if (digits) {
                num = PyUnicode_Substring(str, w, w + digits);
                if (!num) goto fail;
            } else {
                num = Py_NewRef(Py_None);
            }
            cur.author = PyUnicode_Substring(str, a, t - 6);
            if (!cur.author) { Py_DECREF(num); goto fail; }
            cur.num = num;
            cur.open = 1;
            cur.line = line;
            cur.col = width + (digits ? digits - 1 : 0);
            cur.last = -1;
            cur.blank = 0;
            cur.text.len = 0;
        } else {
            /* blank? */
            Py_ssize_t r = e;
            while (r > s && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, r - 1))) r--;
            if (r == s) {
                if (cur.open) cur.blank = 1;
            } else {
                if (!cur.open) goto not_here;
                Py_ssize_t cut = cur.col + 1;
                if (width < cut) goto not_here;
                if (width > cut) cut++;
                /* the body line is [s + cut, r) */
                Py_ssize_t len = r - (s + cut);
                if (buf_reserve(&cur.text, len + 2) < 0) goto fail;
                if (cur.text.len) {
                    cur.text.data[cur.text.len++] = '\n';
                    if (cur.blank) cur.text.data[cur.text.len++] = '\n';
                }
                for (Py_ssize_t k = s + cut; k < r; k++)
                    cur.text.data[cur.text.len++] = PyUnicode_READ(kind, data, k);
                cur.last = line;
                cur.blank = 0;
            }
        }
        if (e >= n) break;
        s = e + 1;
        line++;
    }
    if (flush(&cur, out) < 0) goto fail;
    PyMem_Free(cur.text.data);
    return out;
not_here:
    Py_CLEAR(cur.num);
    Py_CLEAR(cur.author);
    PyMem_Free(cur.text.data);
    Py_DECREF(out);
    Py_RETURN_NONE;
fail:
    Py_CLEAR(cur.num);
    Py_CLEAR(cur.author);
    PyMem_Free(cur.text.data);
    Py_DECREF(out);
    return NULL;
}

static PyMethodDef module_methods[] = {
    {"comment_section", (PyCFunction)comment_section, METH_VARARGS,
     "comment_section(text, off, first, top_right): the comments of an Asbarez comment section read header "
     "by header, or None (twin of discourse.readers.asbarez.comment_section)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_asbarez", "The comment section of an Asbarez page, read header by header, in C.", -1,
    module_methods,
};

PyMODINIT_FUNC PyInit__asbarez(void) { return PyModule_Create(&module); }
