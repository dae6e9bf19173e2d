/* The lexicon scanner of discourse.scoring.lexicon, in C.
 *
 * CompiledLexicon.scanner is one regular expression: `\W(?<!\w['’])(?i:(TRIE)_RIGHT)`, where TRIE is an
 * alternation shaped as a prefix tree of the lexicon's patterns. Python's regex engine tries its
 * alternatives depth first and takes the first path that reaches the end, which need not be the longest;
 * the lexicon wants the longest match at each position, so CompiledLexicon._matches extends each regex match
 * to the furthest end any path reaches from its start. This file walks the same tree with the same atoms but
 * tries every path and keeps the furthest end, so it finds the same matches (tests/scoring/test_scan_c.py
 * holds the two to each other): Scanner.scan returns what CompiledLexicon._matches returns with the regex,
 * without building a match object per word.
 *
 * The tree arrives from Python (lexicon._trie, also the source of the regex) as a list of nodes:
 * (terminal, [(kind, chars, sensitive, child), ...]) with kind 0 literal characters, 1 apostrophe,
 * 2 optional hyphen or space, 3 word separator, 4 gap of up to GAP words, 5 word ending. Character
 * classes are the regex engine's: \w is Py_UNICODE_ISALNUM or '_', \s is Py_UNICODE_ISSPACE, and a
 * case-insensitive literal matches a character whose simple lowercase (Py_UNICODE_TOLOWER) is its
 * lowercase or one of the extra equivalents the engine knows (re._casefix, passed in as `fixes`).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>

enum { A_CHARS = 0, A_APOS = 1, A_HYPH = 2, A_SP = 3, A_GAP = 4, A_WILD = 5 };

typedef struct {
    int exact;       /* 1: the character itself; 0: by lowercase */
    Py_UCS4 c;       /* exact */
    Py_UCS4 low[4];  /* lowercase forms that match */
    int n_low;
} CharTest;

typedef struct {
    int kind;
    int child;
    CharTest *chars;
    Py_ssize_t n_chars;
} Edge;

typedef struct {
    int terminal;
    Edge *edges;
    Py_ssize_t n_edges;
    /* nodes with many branches: for each ASCII character, the branches that can start with it, in order,
     * ending with -1 (branches that start with no literal are in every list) */
    int *by_ascii[128];
} Node;

#define DISPATCH_EDGES 4

typedef struct {
    PyObject_HEAD
    Node *nodes;
    Py_ssize_t n_nodes;
    int gap_words;
    CharTest s_test; /* (?i:s) of the possessive check */
    /* 1 when every match begins with a word character (each branch of the root begins with a character test
     * that matches word characters only, and the root is no end): a match then starts where a word token
     * starts (Words.near tries only those) */
    int word_first;
} Scanner;

typedef struct {
    const Scanner *sc;
    int kind;
    const void *data;
    Py_ssize_t end; /* endpos: nothing at or after it is visible */
} State;

#define CH(st, i) PyUnicode_READ((st)->kind, (st)->data, (i))

static int is_word(Py_UCS4 c) {
    if (c < 128) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    return Py_UNICODE_ISALNUM(c);
}

static int is_space(Py_UCS4 c) { return Py_UNICODE_ISSPACE(c); }
static int is_apos(Py_UCS4 c) { return c == '\'' || c == 0x2019; }
static int is_hyph(Py_UCS4 c) { return c == '-' || c == 0x2010 || c == 0x2011; }
/* [\w'’\-‐‑] */
static int is_gap_char(Py_UCS4 c) { return is_word(c) || is_apos(c) || is_hyph(c); }

static Py_UCS4 lower(Py_UCS4 c) {
    if (c < 128) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    return Py_UNICODE_TOLOWER(c);
}

static int test_char(const CharTest *t, Py_UCS4 c) {
    if (t->exact) return c == t->c;
    Py_UCS4 lo = lower(c);
    for (int j = 0; j < t->n_low; j++)
        if (lo == t->low[j]) return 1;
    return 0;
}

static Py_ssize_t run(const State *st, Py_ssize_t p, int (*pred)(Py_UCS4)) {
    Py_ssize_t q = p;
    while (q < st->end && pred(CH(st, q))) q++;
    return q - p;
}

/* (?!\w)(?!['’](?!s\b)\w) at p */
static int right_ok(const State *st, Py_ssize_t p) {
    if (p < st->end && is_word(CH(st, p))) return 0;
    if (p < st->end && is_apos(CH(st, p)) && p + 1 < st->end && is_word(CH(st, p + 1))) {
        /* the apostrophe and a word character match the lookahead's body unless "s\b" follows the apostrophe */
        int before = 1, after = p + 2 < st->end ? is_word(CH(st, p + 2)) : 0; /* \b after p + 1 */
        if (!(test_char(&st->sc->s_test, CH(st, p + 1)) && before != after)) return 0;
    }
    return 1;
}

static Py_ssize_t match_node(State *st, int node, Py_ssize_t p);

/* (?:\s+[\w'’\-‐‑]+){count..GAP}? \s+ then the child: every way through, the furthest end kept. */
static Py_ssize_t match_gap(State *st, int child, Py_ssize_t p, int count) {
    Py_ssize_t spaces = run(st, p, is_space), best = -1, r;
    for (Py_ssize_t l = spaces; l >= 1; l--)
        if ((r = match_node(st, child, p + l)) > best) best = r;
    if (count >= st->sc->gap_words) return best;
    for (Py_ssize_t l = spaces; l >= 1; l--) {
        Py_ssize_t q = p + l, word = run(st, q, is_gap_char);
        for (Py_ssize_t m = word; m >= 1; m--)
            if ((r = match_gap(st, child, q + m, count + 1)) > best) best = r;
    }
    return best;
}

static Py_ssize_t match_edge(State *st, const Edge *e, Py_ssize_t p) {
    Py_ssize_t r, best = -1;
    switch (e->kind) {
    case A_CHARS:
        for (Py_ssize_t j = 0; j < e->n_chars; j++, p++)
            if (p >= st->end || !test_char(&e->chars[j], CH(st, p))) return -1;
        return match_node(st, e->child, p);
    case A_APOS:
        if (p < st->end && is_apos(CH(st, p))) return match_node(st, e->child, p + 1);
        return -1;
    case A_HYPH: { /* (?:[\-‐‑]|\s+)? */
        if (p < st->end && is_hyph(CH(st, p))) best = match_node(st, e->child, p + 1);
        for (Py_ssize_t l = run(st, p, is_space); l >= 1; l--)
            if ((r = match_node(st, e->child, p + l)) > best) best = r;
        if ((r = match_node(st, e->child, p)) > best) best = r;
        return best;
    }
    case A_SP: { /* (?:\s+|\s*[\-‐‑]\s*) */
        Py_ssize_t spaces = run(st, p, is_space);
        for (Py_ssize_t l = spaces; l >= 1; l--)
            if ((r = match_node(st, e->child, p + l)) > best) best = r;
        for (Py_ssize_t l = spaces; l >= 0; l--) {
            Py_ssize_t q = p + l;
            if (q < st->end && is_hyph(CH(st, q)))
                for (Py_ssize_t l2 = run(st, q + 1, is_space); l2 >= 0; l2--)
                    if ((r = match_node(st, e->child, q + 1 + l2)) > best) best = r;
        }
        return best;
    }
    case A_GAP:
        return match_gap(st, e->child, p, 0);
    case A_WILD: /* \w* */
        for (Py_ssize_t l = run(st, p, is_word); l >= 0; l--)
            if ((r = match_node(st, e->child, p + l)) > best) best = r;
        return best;
    }
    return -1;
}

/* The furthest end of a match of the tree from `node` at p, or -1: every branch is tried (the longest match
 * at a position wins, whichever branch the regex engine would have taken first). */
static Py_ssize_t match_node(State *st, int node, Py_ssize_t p) {
    const Node *n = &st->sc->nodes[node];
    Py_UCS4 c;
    Py_ssize_t best = -1, r;
    if (n->by_ascii[0] && p < st->end && (c = CH(st, p)) < 128) {
        for (const int *j = n->by_ascii[c]; *j >= 0; j++)
            if ((r = match_edge(st, &n->edges[*j], p)) > best) best = r;
    } else {
        for (Py_ssize_t j = 0; j < n->n_edges; j++)
            if ((r = match_edge(st, &n->edges[j], p)) > best) best = r;
    }
    if (best < 0 && n->terminal && right_ok(st, p)) return p;
    return best;
}

/* ------------------------------------------------------------------------------------ construction */

static void scanner_dealloc(Scanner *sc) {
    for (Py_ssize_t i = 0; i < sc->n_nodes; i++) {
        for (Py_ssize_t j = 0; j < sc->nodes[i].n_edges; j++) PyMem_Free(sc->nodes[i].edges[j].chars);
        PyMem_Free(sc->nodes[i].edges);
        PyMem_Free(sc->nodes[i].by_ascii[0]);
    }
    PyMem_Free(sc->nodes);
    Py_TYPE(sc)->tp_free((PyObject *)sc);
}

/* How the regex engine compiles a literal under IGNORECASE: uncased characters match themselves; others
 * match by lowercase, with the engine's extra equivalents. */
static int char_test(CharTest *t, Py_UCS4 c, int sensitive, PyObject *fixes) {
    memset(t, 0, sizeof *t);
    int cased = Py_UNICODE_TOLOWER(c) != c || Py_UNICODE_TOUPPER(c) != c;
    if (sensitive || !cased) {
        t->exact = 1;
        t->c = c;
        return 0;
    }
    Py_UCS4 lo = Py_UNICODE_TOLOWER(c);
    t->low[t->n_low++] = lo;
    PyObject *key = PyLong_FromUnsignedLong(lo);
    if (!key) return -1;
    PyObject *extra = PyDict_GetItemWithError(fixes, key);
    Py_DECREF(key);
    if (!extra) return PyErr_Occurred() ? -1 : 0;
    PyObject *seq = PySequence_Fast(extra, "fixes map codes to sequences of codes");
    if (!seq) return -1;
    for (Py_ssize_t j = 0; j < PySequence_Fast_GET_SIZE(seq); j++) {
        if (t->n_low >= 4) {
            Py_DECREF(seq);
            PyErr_SetString(PyExc_ValueError, "too many case equivalents");
            return -1;
        }
        long v = PyLong_AsLong(PySequence_Fast_GET_ITEM(seq, j));
        if (v == -1 && PyErr_Occurred()) { Py_DECREF(seq); return -1; }
        t->low[t->n_low++] = (Py_UCS4)v;
    }
    Py_DECREF(seq);
    return 0;
}

/* Whether some character that is not a word character has simple lowercase c: a bit per code point, made
 * when first asked (NULL when memory ran out). */
static unsigned char *nonword_lowers = NULL;

static int lower_of_nonword(Py_UCS4 c) {
    if (!nonword_lowers) {
        nonword_lowers = PyMem_Calloc(0x110000 / 8, 1);
        if (!nonword_lowers) return 1; /* assume the worst */
        for (Py_UCS4 x = 0; x < 0x110000; x++)
            if (!is_word(x)) {
                Py_UCS4 lo = lower(x);
                if (lo < 0x110000) nonword_lowers[lo / 8] |= (unsigned char)(1u << (lo % 8));
            }
    }
    return c < 0x110000 && (nonword_lowers[c / 8] >> (c % 8)) & 1;
}

/* Whether t matches word characters only. */
static int word_only(const CharTest *t) {
    if (t->exact) return is_word(t->c);
    for (int j = 0; j < t->n_low; j++)
        if (lower_of_nonword(t->low[j])) return 0;
    return 1;
}

/* Shortcuts that change no result: a run of literals through nodes with one branch and no end becomes one
 * branch; nodes with many branches get a table of the branches each ASCII character can start. */
static int optimize(Scanner *sc) {
    for (Py_ssize_t i = 0; i < sc->n_nodes; i++) {
        Node *node = &sc->nodes[i];
        for (Py_ssize_t j = 0; j < node->n_edges; j++) {
            Edge *e = &node->edges[j];
            if (e->kind != A_CHARS) continue;
            for (;;) {
                const Node *child = &sc->nodes[e->child];
                if (child->terminal || child->n_edges != 1 || child->edges[0].kind != A_CHARS) break;
                const Edge *next = &child->edges[0];
                CharTest *chars = PyMem_Realloc(e->chars, sizeof(CharTest) * (size_t)(e->n_chars + next->n_chars));
                if (!chars) { PyErr_NoMemory(); return -1; }
                memcpy(chars + e->n_chars, next->chars, sizeof(CharTest) * (size_t)next->n_chars);
                e->chars = chars;
                e->n_chars += next->n_chars;
                e->child = next->child;
            }
        }
    }
    for (Py_ssize_t i = 0; i < sc->n_nodes; i++) {
        Node *node = &sc->nodes[i];
        if (node->n_edges < DISPATCH_EDGES) continue;
        /* one block: 128 lists of at most n_edges entries and a -1 each */
        int *block = PyMem_Malloc(sizeof(int) * (size_t)(128 * (node->n_edges + 1)));
        if (!block) { PyErr_NoMemory(); return -1; }
        for (int c = 0; c < 128; c++) {
            int *list = block + c * (node->n_edges + 1), n = 0;
            for (Py_ssize_t j = 0; j < node->n_edges; j++) {
                const Edge *e = &node->edges[j];
                if (e->kind != A_CHARS || test_char(&e->chars[0], (Py_UCS4)c)) list[n++] = (int)j;
            }
            list[n] = -1;
            node->by_ascii[c] = list;
        }
    }
    if (sc->n_nodes > 0) {
        const Node *root = &sc->nodes[0];
        sc->word_first = !root->terminal && root->n_edges > 0;
        for (Py_ssize_t j = 0; j < root->n_edges && sc->word_first; j++)
            sc->word_first = root->edges[j].kind == A_CHARS && word_only(&root->edges[j].chars[0]);
    }
    return 0;
}

static PyObject *scanner_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    static char *names[] = {"nodes", "fixes", "gap_words", NULL};
    PyObject *nodes, *fixes;
    int gap_words;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!O!i", names, &PyList_Type, &nodes, &PyDict_Type, &fixes,
                                     &gap_words))
        return NULL;
    Scanner *sc = (Scanner *)type->tp_alloc(type, 0);
    if (!sc) return NULL;
    sc->gap_words = gap_words;
    Py_ssize_t n = PyList_GET_SIZE(nodes);
    sc->nodes = PyMem_Calloc((size_t)n + 1, sizeof(Node));
    if (!sc->nodes) { PyErr_NoMemory(); goto fail; }
    sc->n_nodes = n;
    if (char_test(&sc->s_test, 's', 0, fixes) < 0) goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(nodes, i), *edges;
        int terminal;
        if (!PyArg_ParseTuple(item, "pO!", &terminal, &PyList_Type, &edges)) goto fail;
        Node *node = &sc->nodes[i];
        node->terminal = terminal;
        node->n_edges = PyList_GET_SIZE(edges);
        node->edges = PyMem_Calloc((size_t)node->n_edges + 1, sizeof(Edge));
        if (!node->edges) { PyErr_NoMemory(); goto fail; }
        for (Py_ssize_t j = 0; j < node->n_edges; j++) {
            PyObject *chars;
            int kind, sensitive, child;
            if (!PyArg_ParseTuple(PyList_GET_ITEM(edges, j), "iUpi", &kind, &chars, &sensitive, &child)) goto fail;
            if (kind < A_CHARS || kind > A_WILD || child < 0 || child >= n ||
                (kind == A_CHARS) != (PyUnicode_GET_LENGTH(chars) > 0)) {
                PyErr_SetString(PyExc_ValueError, "malformed scanner tree");
                goto fail;
            }
            Edge *e = &node->edges[j];
            e->kind = kind;
            e->child = child;
            e->n_chars = PyUnicode_GET_LENGTH(chars);
            e->chars = PyMem_Calloc((size_t)e->n_chars + 1, sizeof(CharTest));
            if (!e->chars) { PyErr_NoMemory(); goto fail; }
            for (Py_ssize_t c = 0; c < e->n_chars; c++)
                if (char_test(&e->chars[c], PyUnicode_READ_CHAR(chars, c), sensitive, fixes) < 0) goto fail;
        }
    }
    if (optimize(sc) < 0) goto fail;
    return (PyObject *)sc;
fail:
    Py_DECREF(sc);
    return NULL;
}

/* The first match at or after s (s < endpos) in st: the index of its \W in the padded text, its end in
 * *r; -1 when none. */
static Py_ssize_t find_next(const State *st, Py_ssize_t s, Py_ssize_t endpos, Py_ssize_t *r) {
    for (; s < endpos; s++) {
        Py_UCS4 c = CH(st, s);
        if (is_word(c)) continue;
        if (s >= 1 && is_apos(c) && is_word(CH(st, s - 1))) continue;
        *r = match_node((State *)st, 0, s + 1);
        if (*r >= 0) return s;
    }
    return -1;
}

/* scan(padded, pos, endpos): the (start, end) of group 1 of each match of `scanner.search(padded, pos,
 * endpos)`, searching on from the end of the last one less one (the lexicon reads the character before a
 * word), as offsets in the text that `padded` pads with one character in front. */
static PyObject *scanner_scan(Scanner *sc, PyObject *args) {
    PyObject *text;
    Py_ssize_t pos, endpos;
    if (!PyArg_ParseTuple(args, "Unn", &text, &pos, &endpos)) return NULL;
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    if (endpos > length) endpos = length;
    if (pos < 0) pos = 0;
    State st = {sc, PyUnicode_KIND(text), PyUnicode_DATA(text), endpos};
    PyObject *out = PyList_New(0);
    if (!out || sc->n_nodes == 0) return out;
    Py_ssize_t s = pos, r;
    while ((s = find_next(&st, s, endpos, &r)) >= 0) {
        PyObject *span = Py_BuildValue("(nn)", s, r - 1); /* in the text: the padded index less one */
        if (!span || PyList_Append(out, span) < 0) {
            Py_XDECREF(span);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(span);
        s = r - 1; /* the next search starts at the end less one */
    }
    return out;
}

/* first(padded, pos, endpos): the first (start, end) that scan(padded, pos, endpos) gives, or None: what
 * one `scanner.search(padded, pos, endpos)` finds. The rules pass searches context windows with it. */
static PyObject *scanner_first(Scanner *sc, PyObject *args) {
    PyObject *text;
    Py_ssize_t pos, endpos;
    if (!PyArg_ParseTuple(args, "Unn", &text, &pos, &endpos)) return NULL;
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    if (endpos > length) endpos = length;
    if (pos < 0) pos = 0;
    State st = {sc, PyUnicode_KIND(text), PyUnicode_DATA(text), endpos};
    Py_ssize_t s, r;
    if (sc->n_nodes == 0 || (s = find_next(&st, pos, endpos, &r)) < 0) Py_RETURN_NONE;
    return Py_BuildValue("(nn)", s, r - 1);
}

/* The hits of the matches in padded[pos + 1 : endpos + 1] (text[pos:endpos]), appended to `out`, as
 * CompiledLexicon._scan makes them: each match's surface resolved by `memo` or else `resolve(surface)` (a
 * lexicon._Resolved: (items, negatable, gaps)), its negator by `negator_before(text, start)` when an item is
 * negatable, the words inside its gaps scanned in turn. 1 when a gap was scanned (the hits then need
 * sorting), 0 when not, -1 on error. */
typedef struct {
    PyObject *text, *padded, *memo, *resolve, *negator_before;
    PyTypeObject *hit;
} HitContext;

static int scan_hits(Scanner *sc, const HitContext *h, Py_ssize_t pos, Py_ssize_t endpos, PyObject *out) {
    Py_ssize_t length = PyUnicode_GET_LENGTH(h->padded);
    if (endpos > length) endpos = length;
    if (pos < 0) pos = 0;
    State st = {sc, PyUnicode_KIND(h->padded), PyUnicode_DATA(h->padded), endpos};
    Py_ssize_t s = pos, r;
    int rescanned = 0;
    if (sc->n_nodes == 0) return 0;
    while ((s = find_next(&st, s, endpos, &r)) >= 0) {
        Py_ssize_t start = s, end = r - 1; /* in the text */
        s = r - 1;
        PyObject *surface = PyUnicode_Substring(h->text, start, end);
        if (!surface) return -1;
        PyObject *res = PyDict_GetItemWithError(h->memo, surface); /* borrowed */
        if (res) Py_INCREF(res);
        else if (PyErr_Occurred() || !(res = PyObject_CallOneArg(h->resolve, surface))) {
            Py_DECREF(surface);
            return -1;
        }
        if (!PyTuple_Check(res) || PyTuple_GET_SIZE(res) != 3 || !PyTuple_Check(PyTuple_GET_ITEM(res, 0)) ||
            !PyTuple_Check(PyTuple_GET_ITEM(res, 2))) {
            PyErr_SetString(PyExc_TypeError, "a resolved surface is (items, negatable, gaps)");
            goto fail;
        }
        PyObject *items = PyTuple_GET_ITEM(res, 0), *gaps = PyTuple_GET_ITEM(res, 2), *negator = Py_None;
        int negatable = PyObject_IsTrue(PyTuple_GET_ITEM(res, 1));
        if (negatable < 0) goto fail;
        PyObject *start_obj = PyLong_FromSsize_t(start), *end_obj = PyLong_FromSsize_t(end);
        if (!start_obj || !end_obj) { Py_XDECREF(start_obj); Py_XDECREF(end_obj); goto fail; }
        if (negatable) {
            negator = PyObject_CallFunctionObjArgs(h->negator_before, h->text, start_obj, NULL);
            if (!negator) { Py_DECREF(start_obj); Py_DECREF(end_obj); goto fail; }
        } else {
            Py_INCREF(negator);
        }
        int bad = 0;
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(items) && !bad; i++) {
            PyObject *item = PyTuple_GET_ITEM(items, i);
            if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 4) {
                PyErr_SetString(PyExc_TypeError, "a resolved item is (kind, label, pattern, negatable)");
                bad = 1;
                break;
            }
            int item_negatable = PyObject_IsTrue(PyTuple_GET_ITEM(item, 3));
            if (item_negatable < 0) { bad = 1; break; }
            int negated = item_negatable && negator != Py_None;
            PyObject *hit = h->hit->tp_alloc(h->hit, 10);
            if (!hit) { bad = 1; break; }
            PyObject *fields[10] = {PyTuple_GET_ITEM(item, 0), PyTuple_GET_ITEM(item, 1), PyTuple_GET_ITEM(item, 2),
                                    surface, start_obj, end_obj, negated ? Py_True : Py_False,
                                    negated ? negator : Py_None, negated ? Py_False : Py_True, Py_None};
            for (int f = 0; f < 10; f++) {
                Py_INCREF(fields[f]);
                PyTuple_SET_ITEM(hit, f, fields[f]);
            }
            bad = PyList_Append(out, hit) < 0;
            Py_DECREF(hit);
        }
        Py_DECREF(negator);
        Py_DECREF(start_obj);
        Py_DECREF(end_obj);
        if (bad) goto fail;
        /* Words inside a gap ("give back SOME land") are not part of the phrase: scan them too. */
        for (Py_ssize_t g = 0; g < PyTuple_GET_SIZE(gaps); g++) {
            Py_ssize_t a, b;
            if (!PyArg_ParseTuple(PyTuple_GET_ITEM(gaps, g), "nn", &a, &b)) goto fail;
            if (scan_hits(sc, h, start + a, start + b + 1, out) < 0) goto fail;
            rescanned = 1;
        }
        Py_DECREF(res);
        Py_DECREF(surface);
        continue;
    fail:
        Py_DECREF(res);
        Py_DECREF(surface);
        return -1;
    }
    return rescanned;
}

/* hits(text, padded, memo, resolve, negator_before, hit) -> (hits, rescanned): every match of the scanner in
 * text (padded is " " + text) as Hit tuples, in the order found; rescanned says whether words inside a gap
 * were scanned (the hits then need sorting). Python twin: CompiledLexicon._scan. */
static PyObject *scanner_hits(Scanner *sc, PyObject *args) {
    HitContext h;
    if (!PyArg_ParseTuple(args, "UUO!OOO!", &h.text, &h.padded, &PyDict_Type, &h.memo, &h.resolve, &h.negator_before,
                          &PyType_Type, &h.hit))
        return NULL;
    if (!PyType_IsSubtype(h.hit, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "hits() needs a tuple class as hit");
        return NULL;
    }
    if (PyUnicode_GET_LENGTH(h.padded) != PyUnicode_GET_LENGTH(h.text) + 1) {
        PyErr_SetString(PyExc_ValueError, "hits() needs padded = ' ' + text");
        return NULL;
    }
    PyObject *out = PyList_New(0);
    if (!out) return NULL;
    int rescanned = scan_hits(sc, &h, 0, PyUnicode_GET_LENGTH(h.padded), out);
    if (rescanned < 0) {
        Py_DECREF(out);
        return NULL;
    }
    PyObject *result = Py_BuildValue("(OO)", out, rescanned ? Py_True : Py_False);
    Py_DECREF(out);
    return result;
}

/* The word tokens of a text (\w+(?:['’]\w+)*, as lexicon._TOKEN finds them with finditer): their starts and
 * ends in two arrays of PyMem memory (NULL when there are none); -1 on a memory error. */
static Py_ssize_t find_tokens(int kind, const void *data, Py_ssize_t n, Py_ssize_t **starts, Py_ssize_t **ends) {
    Py_ssize_t count = 0, cap = 0;
    *starts = *ends = NULL;
    Py_ssize_t i = 0;
    while (i < n) {
        if (!is_word(PyUnicode_READ(kind, data, i))) { i++; continue; }
        Py_ssize_t s = i;
        while (i < n && is_word(PyUnicode_READ(kind, data, i))) i++;
        while (i + 1 < n && is_apos(PyUnicode_READ(kind, data, i)) && is_word(PyUnicode_READ(kind, data, i + 1))) {
            i++;
            while (i < n && is_word(PyUnicode_READ(kind, data, i))) i++;
        }
        if (count == cap) {
            cap = cap ? 2 * cap : 64;
            Py_ssize_t *a = PyMem_Realloc(*starts, sizeof(Py_ssize_t) * (size_t)cap);
            if (a) *starts = a;
            Py_ssize_t *b = a ? PyMem_Realloc(*ends, sizeof(Py_ssize_t) * (size_t)cap) : NULL;
            if (b) *ends = b;
            if (!a || !b) {
                PyMem_Free(*starts);
                PyMem_Free(*ends);
                *starts = *ends = NULL;
                PyErr_NoMemory();
                return -1;
            }
        }
        (*starts)[count] = s;
        (*ends)[count] = i;
        count++;
    }
    return count;
}

/* tokens(text): the starts and ends of the word tokens of `text`, as `lexicon._TOKEN` (\w+(?:['’]\w+)*)
 * finds them with finditer; the rules pass counts a context window in these tokens. Python twin:
 * lexicon.token_spans. */
static PyObject *module_tokens(PyObject *self, PyObject *arg) {
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "tokens() needs a str");
        return NULL;
    }
    Py_ssize_t *a, *b;
    Py_ssize_t n = find_tokens(PyUnicode_KIND(arg), PyUnicode_DATA(arg), PyUnicode_GET_LENGTH(arg), &a, &b);
    if (n < 0) return NULL;
    PyObject *starts = PyList_New(n), *ends = PyList_New(n), *out = NULL;
    if (!starts || !ends) goto done;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *x = PyLong_FromSsize_t(a[k]), *y = PyLong_FromSsize_t(b[k]);
        if (x) PyList_SET_ITEM(starts, k, x);
        if (y) PyList_SET_ITEM(ends, k, y);
        if (!x || !y) goto done;
    }
    out = PyTuple_Pack(2, starts, ends);
done:
    Py_XDECREF(starts);
    Py_XDECREF(ends);
    PyMem_Free(a);
    PyMem_Free(b);
    return out;
}

/* ------------------------------------------------------------------------------------- context windows */

/* Words(text): a text's word tokens, for the rules pass's context windows. Python twin: lexicon._TextView
 * (its near() with the native switch off). */
typedef struct {
    PyObject_HEAD
    PyObject *text;
    PyObject *padded; /* " " + text: what the scanners read */
    Py_ssize_t n;
    Py_ssize_t *starts, *ends;
} Words;

static void words_dealloc(Words *w) {
    Py_XDECREF(w->text);
    Py_XDECREF(w->padded);
    PyMem_Free(w->starts);
    PyMem_Free(w->ends);
    Py_TYPE(w)->tp_free((PyObject *)w);
}

static PyObject *words_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    static char *names[] = {"text", NULL};
    PyObject *text;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "U", names, &text)) return NULL;
    Words *w = (Words *)type->tp_alloc(type, 0);
    if (!w) return NULL;
    Py_INCREF(text);
    w->text = text;
    PyObject *space = PyUnicode_FromOrdinal(' ');
    w->padded = space ? PyUnicode_Concat(space, text) : NULL;
    Py_XDECREF(space);
    if (!w->padded ||
        (w->n = find_tokens(PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text), &w->starts,
                            &w->ends)) < 0) {
        Py_DECREF(w);
        return NULL;
    }
    return (PyObject *)w;
}

static Py_ssize_t bisect_left(const Py_ssize_t *a, Py_ssize_t n, Py_ssize_t x) {
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (a[mid] < x) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static PyTypeObject ScannerType;

/* The first match of sc within `window` word tokens (starts, ends: n of them) before `start`, else after
 * `end`, in text (padded: " " + text, what the scanner reads): 1 with the match as text in *word (a new
 * reference), 0 when there is none. The windows are those of _TextView.near; each is searched as
 * Scanner.first searches it. Needs window >= 1 and 0 <= start <= end <= len(text). */
static int near_tokens(PyObject *text, PyObject *padded, const Py_ssize_t *starts, const Py_ssize_t *ends,
                       Py_ssize_t n, Scanner *sc, int window, Py_ssize_t start, Py_ssize_t end, PyObject **word) {
    Py_ssize_t i = bisect_left(starts, n, start); /* first token at or after the hit */
    Py_ssize_t left = i > 0 ? starts[i - window > 0 ? i - window : 0] : start;
    Py_ssize_t j = bisect_left(starts, n, end); /* first token after the hit */
    Py_ssize_t right = j < n ? ends[(j + window < n ? j + window : n) - 1] : end;
    Py_ssize_t bounds[2][2] = {{left, start}, {end, right}};
    *word = NULL;
    if (sc->n_nodes == 0) return 0;
    if (sc->word_first) {
        /* a match can start only where a token does: at the first `window` tokens of either window (those
         * are the window's tokens), which is where find_next would find it */
        Py_ssize_t first[2] = {i - window > 0 ? i - window : 0, j}, last[2] = {i, j + window < n ? j + window : n};
        for (int k = 0; k < 2; k++) {
            State st = {sc, PyUnicode_KIND(padded), PyUnicode_DATA(padded), bounds[k][1] + 1};
            for (Py_ssize_t t = first[k]; t < last[k]; t++) {
                Py_ssize_t r = match_node(&st, 0, starts[t] + 1);
                if (r >= 0) {
                    *word = PyUnicode_Substring(text, starts[t], r - 1);
                    return *word ? 1 : -1;
                }
            }
        }
        return 0;
    }
    for (int k = 0; k < 2; k++) {
        Py_ssize_t a = bounds[k][0], b = bounds[k][1];
        if (b <= a) continue;
        State st = {sc, PyUnicode_KIND(padded), PyUnicode_DATA(padded), b + 1};
        Py_ssize_t s, r;
        if ((s = find_next(&st, a, st.end, &r)) >= 0) {
            *word = PyUnicode_Substring(text, s, r - 1);
            return *word ? 1 : -1;
        }
    }
    return 0;
}

/* near(scanner, window, start, end): the first match of `scanner` (a list of context words) within `window`
 * word tokens before `start`, else after `end`, as text; None when there is none (near_tokens). */
static PyObject *words_near(Words *w, PyObject *args) {
    Scanner *sc;
    int window;
    Py_ssize_t start, end;
    if (!PyArg_ParseTuple(args, "O!inn", &ScannerType, &sc, &window, &start, &end)) return NULL;
    if (window < 1 || start < 0 || end < start || end > PyUnicode_GET_LENGTH(w->text)) {
        PyErr_SetString(PyExc_ValueError, "near() needs window >= 1 and 0 <= start <= end <= len(text)");
        return NULL;
    }
    PyObject *word;
    int found = near_tokens(w->text, w->padded, w->starts, w->ends, w->n, sc, window, start, end, &word);
    if (found < 0) return NULL;
    if (!found) Py_RETURN_NONE;
    return word;
}

static PyMethodDef words_methods[] = {
    {"near", (PyCFunction)words_near, METH_VARARGS,
     "near(scanner, window, start, end) -> str or None: the first context word within window tokens of the span"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject WordsType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "discourse.scoring._scan.Words",
    .tp_basicsize = sizeof(Words),
    .tp_dealloc = (destructor)words_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A text's word tokens, for context windows: Words(text)",
    .tp_methods = words_methods,
    .tp_new = words_new,
};

/* ------------------------------------------------------------------------------------------ rules pass */

/* Rules(hit, context, implied, quotation): the rules pass over a text's scanner hits, in C. Python twin:
 * lexicon._Rules._apply, which builds the tables (lexicon._Rules._native_rules):
 *   hit        the Hit class (a tuple of 10: kind, label, entry, matched, start, end, negated, negator,
 *              counted, rule)
 *   context    {label: {entry: (unless, only, topic_unless, window, topic_window, suffix, only_none,
 *              topic_suffix)}}: the context-word scanners of an entry (None: no such list; topic_unless only
 *              where the topic's unless_near applies to the entry), its window and the topic's, and the
 *              pieces of the rule texts ("' within 6 words", "only_near: none within 6 words")
 *   implied    {actor: ((topic, near, unless, window, prefix, suffix, named), ...)}: near and unless are the
 *              scanners of the implication's lists (None when a list is empty), prefix "implied by actor A: '",
 *              named "implied by actor A: named"
 *   quotation  {label: (prefix, scare_only)}: prefix "quotation = scare: inside " */
typedef struct {
    PyObject_HEAD
    PyObject *hit, *context, *implied, *quotation;
} Rules;

static void rules_dealloc(Rules *r) {
    Py_XDECREF(r->hit);
    Py_XDECREF(r->context);
    Py_XDECREF(r->implied);
    Py_XDECREF(r->quotation);
    Py_TYPE(r)->tp_free((PyObject *)r);
}

static PyObject *rules_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    static char *names[] = {"hit", "context", "implied", "quotation", NULL};
    PyObject *hit, *context, *implied, *quotation;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!O!O!O!", names, &PyType_Type, &hit, &PyDict_Type, &context,
                                     &PyDict_Type, &implied, &PyDict_Type, &quotation))
        return NULL;
    if (!PyType_IsSubtype((PyTypeObject *)hit, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "Rules() needs a tuple class as hit");
        return NULL;
    }
    /* check the tables' shapes once, so apply() can read them without checks */
    PyObject *key, *value, *k2, *v2;
    Py_ssize_t pos = 0, pos2;
    while (PyDict_Next(context, &pos, &key, &value)) {
        if (!PyDict_Check(value)) goto malformed;
        pos2 = 0;
        while (PyDict_Next(value, &pos2, &k2, &v2)) {
            if (!PyTuple_Check(v2) || PyTuple_GET_SIZE(v2) != 8) goto malformed;
            for (int i = 0; i < 3; i++)
                if (PyTuple_GET_ITEM(v2, i) != Py_None && !PyObject_TypeCheck(PyTuple_GET_ITEM(v2, i), &ScannerType))
                    goto malformed;
            for (int i = 3; i < 5; i++)
                if (!PyLong_Check(PyTuple_GET_ITEM(v2, i)) || PyLong_AsLong(PyTuple_GET_ITEM(v2, i)) < 1) goto malformed;
            for (int i = 5; i < 8; i++)
                if (!PyUnicode_Check(PyTuple_GET_ITEM(v2, i))) goto malformed;
        }
    }
    pos = 0;
    while (PyDict_Next(implied, &pos, &key, &value)) {
        if (!PyTuple_Check(value)) goto malformed;
        for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(value); j++) {
            PyObject *imp = PyTuple_GET_ITEM(value, j);
            if (!PyTuple_Check(imp) || PyTuple_GET_SIZE(imp) != 7) goto malformed;
            for (int i = 1; i < 3; i++)
                if (PyTuple_GET_ITEM(imp, i) != Py_None && !PyObject_TypeCheck(PyTuple_GET_ITEM(imp, i), &ScannerType))
                    goto malformed;
            if (!PyLong_Check(PyTuple_GET_ITEM(imp, 3)) || PyLong_AsLong(PyTuple_GET_ITEM(imp, 3)) < 1) goto malformed;
            if (!PyUnicode_Check(PyTuple_GET_ITEM(imp, 0)) || !PyUnicode_Check(PyTuple_GET_ITEM(imp, 4)) ||
                !PyUnicode_Check(PyTuple_GET_ITEM(imp, 5)) || !PyUnicode_Check(PyTuple_GET_ITEM(imp, 6)))
                goto malformed;
        }
    }
    pos = 0;
    while (PyDict_Next(quotation, &pos, &key, &value))
        if (!PyTuple_Check(value) || PyTuple_GET_SIZE(value) != 2 || !PyUnicode_Check(PyTuple_GET_ITEM(value, 0)) ||
            !PyBool_Check(PyTuple_GET_ITEM(value, 1)))
            goto malformed;
    Rules *r = (Rules *)type->tp_alloc(type, 0);
    if (!r) return NULL;
    Py_INCREF(hit); r->hit = hit;
    Py_INCREF(context); r->context = context;
    Py_INCREF(implied); r->implied = implied;
    Py_INCREF(quotation); r->quotation = quotation;
    return (PyObject *)r;
malformed:
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "malformed rules tables");
    return NULL;
}

/* What the rules ask of one text, made when first needed: its word tokens and " " + text. */
typedef struct {
    PyObject *text, *padded;
    Py_ssize_t n; /* -1: not yet */
    Py_ssize_t *starts, *ends;
} View;

static int view_near(View *v, PyObject *scanner, PyObject *window, Py_ssize_t start, Py_ssize_t end,
                     PyObject **word) {
    if (v->n < 0) {
        PyObject *space = PyUnicode_FromOrdinal(' ');
        v->padded = space ? PyUnicode_Concat(space, v->text) : NULL;
        Py_XDECREF(space);
        if (!v->padded) return -1;
        v->n = find_tokens(PyUnicode_KIND(v->text), PyUnicode_DATA(v->text), PyUnicode_GET_LENGTH(v->text),
                           &v->starts, &v->ends);
        if (v->n < 0) return -1;
    }
    return near_tokens(v->text, v->padded, v->starts, v->ends, v->n, (Scanner *)scanner, (int)PyLong_AsLong(window),
                       start, end, word);
}

/* A hit of class `type` with the first 8 fields of `from` (or `fields`, when from is NULL) and counted, rule. */
static PyObject *new_hit(PyTypeObject *type, PyObject *from, PyObject *const *fields, PyObject *counted,
                         PyObject *rule) {
    PyObject *hit = type->tp_alloc(type, 10);
    if (!hit) return NULL;
    for (int i = 0; i < 8; i++) {
        PyObject *item = from ? PyTuple_GET_ITEM(from, i) : fields[i];
        Py_INCREF(item);
        PyTuple_SET_ITEM(hit, i, item);
    }
    Py_INCREF(counted);
    PyTuple_SET_ITEM(hit, 8, counted);
    Py_INCREF(rule);
    PyTuple_SET_ITEM(hit, 9, rule);
    return hit;
}

/* Append hit (a new reference, stolen) to out; -1 on error. */
static int put(PyObject *out, PyObject *hit) {
    if (!hit) return -1;
    int bad = PyList_Append(out, hit);
    Py_DECREF(hit);
    return bad;
}

/* apply(text, hits, quoted) -> (hits, added): the rules pass over `hits` (CompiledLexicon.match(text)):
 * topic hits set aside by context words or quotations (counted False, with the rule), and the topic hits
 * actor mentions imply after each mention; `added` says whether any was implied (the caller then sorts).
 * `quoted(start, end, scare_only=...)` is _TextView.quoted of the text. Python twin: _Rules._apply. */
static PyObject *rules_apply(Rules *r, PyObject *args) {
    PyObject *text, *hits, *quoted;
    if (!PyArg_ParseTuple(args, "UO!O", &text, &PyList_Type, &hits, &quoted)) return NULL;
    View v = {text, NULL, -1, NULL, NULL};
    PyObject *out = PyList_New(0), *kwargs = NULL, *result = NULL, *cur = NULL, *word = NULL;
    PyTypeObject *hit_type = (PyTypeObject *)r->hit;
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    int added = 0;
    if (!out) return NULL;
    for (Py_ssize_t h = 0; h < PyList_GET_SIZE(hits); h++) {
        PyObject *hit = PyList_GET_ITEM(hits, h);
        if (Py_TYPE(hit) != hit_type || PyTuple_GET_SIZE(hit) != 10) {
            PyErr_SetString(PyExc_TypeError, "apply() needs a list of Hit");
            goto fail;
        }
        PyObject *kind = PyTuple_GET_ITEM(hit, 0), *label = PyTuple_GET_ITEM(hit, 1);
        Py_ssize_t start = PyLong_AsSsize_t(PyTuple_GET_ITEM(hit, 4)), end = PyLong_AsSsize_t(PyTuple_GET_ITEM(hit, 5));
        if ((start == -1 || end == -1) && PyErr_Occurred()) goto fail;
        if (start < 0 || end < start || end > length) {
            PyErr_SetString(PyExc_ValueError, "apply() needs hits with 0 <= start <= end <= len(text)");
            goto fail;
        }
        if (!PyUnicode_Check(kind) || !PyUnicode_Check(label)) {
            PyErr_SetString(PyExc_TypeError, "apply() needs hits with str kind and label");
            goto fail;
        }
        if (PyUnicode_CompareWithASCIIString(kind, "actor") == 0) {
            Py_INCREF(hit);
            if (put(out, hit) < 0) goto fail;
            PyObject *imps = PyDict_GetItemWithError(r->implied, label);
            if (!imps) {
                if (PyErr_Occurred()) goto fail;
                continue;
            }
            Py_ssize_t n_imps = PyTuple_GET_SIZE(imps), n_done = 0;
            PyObject **done = PyMem_Malloc(sizeof(PyObject *) * (size_t)(n_imps + 1)); /* topics implied */
            if (!done) { PyErr_NoMemory(); goto fail; }
            for (Py_ssize_t j = 0; j < n_imps; j++) {
                PyObject *imp = PyTuple_GET_ITEM(imps, j), *topic = PyTuple_GET_ITEM(imp, 0);
                PyObject *near = PyTuple_GET_ITEM(imp, 1), *unless = PyTuple_GET_ITEM(imp, 2);
                int seen = 0;
                for (Py_ssize_t d = 0; d < n_done && !seen; d++) {
                    seen = PyObject_RichCompareBool(done[d], topic, Py_EQ);
                    if (seen < 0) { PyMem_Free(done); goto fail; }
                }
                if (seen) continue;
                int found = 1; /* no near words: the mention alone implies the topic */
                if (near != Py_None &&
                    (found = view_near(&v, near, PyTuple_GET_ITEM(imp, 3), start, end, &word)) < 0) {
                    PyMem_Free(done);
                    goto fail;
                }
                if (!found) continue;
                if (unless != Py_None) {
                    PyObject *other;
                    int vetoed = view_near(&v, unless, PyTuple_GET_ITEM(imp, 3), start, end, &other);
                    Py_XDECREF(other);
                    if (vetoed < 0) { Py_XDECREF(word); word = NULL; PyMem_Free(done); goto fail; }
                    if (vetoed) { Py_XDECREF(word); word = NULL; continue; }
                }
                PyObject *rule;
                if (near != Py_None) {
                    rule = PyUnicode_FromFormat("%U%U%U", PyTuple_GET_ITEM(imp, 4), word, PyTuple_GET_ITEM(imp, 5));
                    Py_CLEAR(word);
                } else {
                    rule = PyTuple_GET_ITEM(imp, 6);
                    Py_INCREF(rule);
                }
                if (!rule) { PyMem_Free(done); goto fail; }
                PyObject *fields[8] = {NULL, topic, PyTuple_GET_ITEM(hit, 2), PyTuple_GET_ITEM(hit, 3),
                                       PyTuple_GET_ITEM(hit, 4), PyTuple_GET_ITEM(hit, 5), Py_False, Py_None};
                static PyObject *topic_kind = NULL;
                if (!topic_kind && !(topic_kind = PyUnicode_InternFromString("topic"))) {
                    Py_DECREF(rule);
                    PyMem_Free(done);
                    goto fail;
                }
                fields[0] = topic_kind;
                int bad = put(out, new_hit(hit_type, NULL, fields, Py_True, rule));
                Py_DECREF(rule);
                if (bad < 0) { PyMem_Free(done); goto fail; }
                added = 1;
                done[n_done++] = topic;
            }
            PyMem_Free(done);
            continue;
        }
        int counted = PyObject_IsTrue(PyTuple_GET_ITEM(hit, 8));
        if (counted < 0) goto fail;
        Py_INCREF(hit);
        cur = hit; /* the hit as the rules leave it */
        if (!counted) {
            if (put(out, cur) < 0) { cur = NULL; goto fail; }
            cur = NULL;
            continue;
        }
        PyObject *entries = PyDict_GetItemWithError(r->context, label), *ctx = NULL;
        if (entries && !(ctx = PyDict_GetItemWithError(entries, PyTuple_GET_ITEM(hit, 2))) && PyErr_Occurred())
            goto fail;
        if (!entries && PyErr_Occurred()) goto fail;
        PyObject *set_aside = NULL; /* the rule that sets the hit aside, when one does */
        if (ctx) {
            PyObject *unless = PyTuple_GET_ITEM(ctx, 0), *only = PyTuple_GET_ITEM(ctx, 1);
            PyObject *topic_unless = PyTuple_GET_ITEM(ctx, 2);
            int found;
            if (unless != Py_None) {
                if ((found = view_near(&v, unless, PyTuple_GET_ITEM(ctx, 3), start, end, &word)) < 0) goto fail;
                if (found) {
                    set_aside = PyUnicode_FromFormat("unless_near: '%U%U", word, PyTuple_GET_ITEM(ctx, 5));
                    Py_CLEAR(word);
                    if (!set_aside) goto fail;
                }
            }
            if (!set_aside && only != Py_None) {
                if ((found = view_near(&v, only, PyTuple_GET_ITEM(ctx, 3), start, end, &word)) < 0) goto fail;
                if (!found) {
                    set_aside = PyTuple_GET_ITEM(ctx, 6);
                    Py_INCREF(set_aside);
                } else {
                    PyObject *rule = PyUnicode_FromFormat("only_near: '%U%U", word, PyTuple_GET_ITEM(ctx, 5));
                    Py_CLEAR(word);
                    if (!rule) goto fail;
                    PyObject *kept = new_hit(hit_type, cur, NULL, PyTuple_GET_ITEM(cur, 8), rule);
                    Py_DECREF(rule);
                    if (!kept) goto fail;
                    Py_SETREF(cur, kept);
                }
            }
            if (!set_aside && topic_unless != Py_None) {
                if ((found = view_near(&v, topic_unless, PyTuple_GET_ITEM(ctx, 4), start, end, &word)) < 0) goto fail;
                if (found) {
                    set_aside = PyUnicode_FromFormat("unless_near: '%U%U", word, PyTuple_GET_ITEM(ctx, 7));
                    Py_CLEAR(word);
                    if (!set_aside) goto fail;
                }
            }
        }
        if (!set_aside) {
            PyObject *rule = PyDict_GetItemWithError(r->quotation, label);
            if (!rule && PyErr_Occurred()) goto fail;
            if (rule) {
                if (!kwargs && !(kwargs = PyDict_New())) goto fail;
                if (PyDict_SetItemString(kwargs, "scare_only", PyTuple_GET_ITEM(rule, 1)) < 0) goto fail;
                PyObject *call = Py_BuildValue("(nn)", start, end), *inside = NULL;
                if (call) inside = PyObject_Call(quoted, call, kwargs);
                Py_XDECREF(call);
                if (!inside) goto fail;
                int truth = PyObject_IsTrue(inside);
                if (truth > 0) set_aside = PyUnicode_FromFormat("%U%S", PyTuple_GET_ITEM(rule, 0), inside);
                Py_DECREF(inside);
                if (truth < 0 || (truth > 0 && !set_aside)) goto fail;
            }
        }
        if (set_aside) {
            PyObject *aside = new_hit(hit_type, cur, NULL, Py_False, set_aside);
            Py_DECREF(set_aside);
            Py_CLEAR(cur);
            if (put(out, aside) < 0) goto fail;
            continue;
        }
        PyObject *kept = cur;
        cur = NULL;
        if (put(out, kept) < 0) goto fail;
    }
    result = Py_BuildValue("(OO)", out, added ? Py_True : Py_False);
fail:
    Py_XDECREF(cur);
    Py_XDECREF(word);
    Py_XDECREF(kwargs);
    Py_DECREF(out);
    Py_XDECREF(v.padded);
    PyMem_Free(v.starts);
    PyMem_Free(v.ends);
    return result;
}

static PyMethodDef rules_methods[] = {
    {"apply", (PyCFunction)rules_apply, METH_VARARGS,
     "apply(text, hits, quoted) -> (hits, added): the rules pass over a text's hits, as lexicon._Rules._apply"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject RulesType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "discourse.scoring._scan.Rules",
    .tp_basicsize = sizeof(Rules),
    .tp_dealloc = (destructor)rules_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The rules pass of a lexicon: Rules(hit, context, implied, quotation)",
    .tp_methods = rules_methods,
    .tp_new = rules_new,
};

/* ------------------------------------------------------------------------------------------ quotations */

/* The quote marks of quotes._MARKS (‘‘|’’|''|``|["“”„«»‘’]) and their classes (quotes._OPEN, _CLOSE,
 * _AMBIGUOUS; ‘ and ’ alone are single quotes). */
enum { Q_NONE = 0, Q_OPEN, Q_CLOSE, Q_AMBIGUOUS, Q_SINGLE_OPEN, Q_SINGLE_CLOSE };

/* The mark at i that ends before limit: its class, its length in *len. */
static int mark_at(int kind, const void *data, Py_ssize_t i, Py_ssize_t limit, Py_ssize_t *len) {
    if (i >= limit) return Q_NONE;
    Py_UCS4 c = PyUnicode_READ(kind, data, i);
    if (i + 1 < limit && (c == 0x2018 || c == 0x2019 || c == '\'' || c == '`') && PyUnicode_READ(kind, data, i + 1) == c) {
        *len = 2;
        return c == 0x2018 || c == '`' ? Q_OPEN : c == 0x2019 ? Q_CLOSE : Q_AMBIGUOUS;
    }
    *len = 1;
    switch (c) {
    case '"': return Q_AMBIGUOUS;
    case 0x201C: case 0x201E: case 0xAB: return Q_OPEN;
    case 0x201D: case 0xBB: return Q_CLOSE;
    case 0x2018: return Q_SINGLE_OPEN;
    case 0x2019: return Q_SINGLE_CLOSE;
    }
    return Q_NONE;
}

/* quotes._OPENING_CONTEXT */
static int opening_char(Py_UCS4 c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '(' || c == '[' || c == '{' || c == 0x2014 || c == 0x2013 ||
           c == '-' || c == '/';
}

enum { R_IGNORE = 0, R_OPEN, R_CLOSE };

/* quotes._role: what a double quote mark of class `cls` at i, `len` long, does given whether a quote is open. */
static int quote_role(int kind, const void *data, Py_ssize_t n, Py_ssize_t i, Py_ssize_t len, int cls, int is_open) {
    Py_UCS4 before = i > 0 ? PyUnicode_READ(kind, data, i - 1) : ' ';
    Py_UCS4 after = i + len < n ? PyUnicode_READ(kind, data, i + len) : ' ';
    int opening = opening_char(before) && !Py_UNICODE_ISSPACE(after);
    int closing = !Py_UNICODE_ISSPACE(before) && (Py_UNICODE_ISSPACE(after) || !Py_UNICODE_ISALNUM(after));
    if (cls == Q_AMBIGUOUS) {
        if (opening && !closing) return is_open ? R_IGNORE : R_OPEN;
        if (closing && !opening) return is_open ? R_CLOSE : R_IGNORE;
        return is_open ? R_CLOSE : R_OPEN;
    }
    if (cls == Q_OPEN && is_open) return closing && !opening ? R_CLOSE : R_IGNORE;
    if (cls == Q_CLOSE && !is_open) return opening && !closing ? R_OPEN : R_IGNORE;
    return cls == Q_OPEN ? R_OPEN : R_CLOSE;
}

static int add_span(PyObject *out, Py_ssize_t a, Py_ssize_t b, int closed) {
    PyObject *span = Py_BuildValue("(nnO)", a, b, closed ? Py_True : Py_False);
    int bad = !span || PyList_Append(out, span) < 0;
    Py_XDECREF(span);
    return bad ? -1 : 0;
}

/* quote_spans(text): the (start, end, closed) of each top-level quotation of text, marks included, in the
 * order they are found (quotes._spans sorts them). Python twin: quotes._spans. */
static PyObject *module_quote_spans(PyObject *self, PyObject *arg) {
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "quote_spans() needs a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    PyObject *out = PyList_New(0);
    if (!out) return NULL;
    Py_ssize_t start = -1, open_until = 0, line = 0, len;
#define AT(i) PyUnicode_READ(kind, data, (i))
    while (line < n) {
        /* a line: a run of characters other than \n */
        if (AT(line) == '\n') { line++; continue; }
        Py_ssize_t a = line, b = line;
        while (b < n && AT(b) != '\n') b++;
        line = b;
        if (start >= 0) {
            Py_ssize_t p = a;
            while (p < b && Py_UNICODE_ISSPACE(AT(p))) p++;
            int cls = mark_at(kind, data, p, b, &len);
            if (cls == Q_OPEN || cls == Q_AMBIGUOUS) a = p + len; /* the reopening mark of a continued quotation */
            else {
                if (add_span(out, start, open_until, 0) < 0) goto fail;
                start = -1;
            }
        }
        Py_ssize_t single = -1;
        for (Py_ssize_t i = a; i < b;) {
            int cls = mark_at(kind, data, i, b, &len);
            if (cls == Q_NONE) { i++; continue; }
            if (cls == Q_SINGLE_OPEN || cls == Q_SINGLE_CLOSE) {
                Py_UCS4 before = i > 0 ? AT(i - 1) : ' ', after = i + 1 < n ? AT(i + 1) : ' ';
                if (start >= 0 || (Py_UNICODE_ISALNUM(before) && Py_UNICODE_ISALNUM(after))) { i++; continue; }
                if (cls == Q_SINGLE_OPEN && single < 0 && (i == 0 || !Py_UNICODE_ISALNUM(AT(i - 1)))) single = i;
                else if (cls == Q_SINGLE_CLOSE && single >= 0) {
                    if (add_span(out, single, i + 1, 1) < 0) goto fail;
                    single = -1;
                }
                i++;
                continue;
            }
            int role = quote_role(kind, data, n, i, len, cls, start >= 0);
            if (role == R_OPEN) {
                start = i;
                single = -1;
            } else if (role == R_CLOSE && start >= 0) {
                if (add_span(out, start, i + len, 1) < 0) goto fail;
                start = -1;
            }
            i += len;
        }
        if (start >= 0) {
            Py_ssize_t last = b;
            while (last > a && Py_UNICODE_ISSPACE(AT(last - 1))) last--;
            if (last > a) open_until = last; /* the end of the line's text, trailing blanks dropped */
            if (open_until < start + 1) open_until = start + 1;
        }
    }
#undef AT
    if (start >= 0 && add_span(out, start, open_until, 0) < 0) goto fail;
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* The characters of text[a:b] (clamped to the text) that are not whitespace: quotes._visible. */
static Py_ssize_t visible(int kind, const void *data, Py_ssize_t n, Py_ssize_t a, Py_ssize_t b) {
    if (b > n) b = n;
    Py_ssize_t count = 0;
    for (Py_ssize_t i = a; i < b; i++) count += !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i));
    return count;
}

/* voices(spans, speech, text): for each (start, end) sentence span, ("quoted", speaker) or ("own", None), as
 * quotes._voice gives them; speech is the (start, end, speaker) of each quotation that is not a scare quote,
 * ordered by start; text None counts every character. Python twin: quotes._voice. */
static PyObject *module_voices(PyObject *self, PyObject *args) {
    PyObject *spans, *speech, *text;
    if (!PyArg_ParseTuple(args, "OO!O", &spans, &PyList_Type, &speech, &text)) return NULL;
    if (text != Py_None && !PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "voices() needs a str or None as text");
        return NULL;
    }
    int kind = text == Py_None ? 0 : PyUnicode_KIND(text);
    const void *data = text == Py_None ? NULL : PyUnicode_DATA(text);
    Py_ssize_t length = text == Py_None ? 0 : PyUnicode_GET_LENGTH(text);
    Py_ssize_t m = PyList_GET_SIZE(speech);
    Py_ssize_t *q = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(3 * m + 1)); /* start, end, reach */
    PyObject *seq = NULL, *out = NULL, *own = NULL, *quoted = NULL;
    if (!q) return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < m; i++) {
        PyObject *item = PyList_GET_ITEM(speech, i), *speaker;
        if (!PyArg_ParseTuple(item, "nnO", &q[3 * i], &q[3 * i + 1], &speaker)) goto done;
        if (q[3 * i] < 0 || q[3 * i + 1] < 0) goto negative;
        Py_ssize_t reach = i ? q[3 * (i - 1) + 2] : q[1];
        q[3 * i + 2] = q[3 * i + 1] > reach ? q[3 * i + 1] : reach;
    }
    if (!(seq = PySequence_Fast(spans, "voices() needs a sequence of spans"))) goto done;
    if (!(own = Py_BuildValue("(sO)", "own", Py_None))) goto done;
    if (!(quoted = PyUnicode_FromString("quoted"))) goto done;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (!(out = PyList_New(n))) goto done;
    for (Py_ssize_t k = 0; k < n; k++) {
        Py_ssize_t s, e;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, k), "nn", &s, &e)) goto fail;
        if (s < 0 || e < 0) goto negative;
        Py_ssize_t total = data ? (s < e ? visible(kind, data, length, s, e) : 0) : e - s;
        Py_ssize_t best = -1, best_inside = 0, inside = 0;
        /* bisect_right(reach, s): the first quotation whose reach passes s */
        Py_ssize_t lo = 0, hi = m;
        while (lo < hi) {
            Py_ssize_t mid = lo + (hi - lo) / 2;
            if (s < q[3 * mid + 2]) hi = mid;
            else lo = mid + 1;
        }
        for (Py_ssize_t i = lo; i < m; i++) {
            Py_ssize_t qs = q[3 * i], qe = q[3 * i + 1];
            if (qs >= e) break;
            Py_ssize_t a = s > qs ? s : qs, b = e < qe ? e : qe;
            if (a >= b) continue;
            Py_ssize_t count = data ? visible(kind, data, length, a, b) : b - a;
            inside += count;
            if (count > best_inside) { best = i; best_inside = count; }
        }
        PyObject *voice;
        if (total && inside * 2 > total && best >= 0) {
            voice = PyTuple_Pack(2, quoted, PyTuple_GET_ITEM(PyList_GET_ITEM(speech, best), 2));
            if (!voice) goto fail;
        } else {
            Py_INCREF(own);
            voice = own;
        }
        PyList_SET_ITEM(out, k, voice);
    }
    goto done;
negative:
    PyErr_SetString(PyExc_ValueError, "voices() needs spans and quotations at offsets >= 0");
fail:
    Py_CLEAR(out);
done:
    PyMem_Free(q);
    Py_XDECREF(seq);
    Py_XDECREF(own);
    Py_XDECREF(quoted);
    return out;
}

/* ------------------------------------------------------------------------------------------- unit rows */

/* hit_rows(row, hits, starts, voices, compounds, tags, mentions) -> (topics, actors): a unit's tag and
 * mention rows, appended column by column: `tags` is 11 lists (row, position and the Hit's fields after
 * kind), `mentions` 8 (row, position, actor, surface, start, end, voice, compound). A hit's sentence is the
 * last whose start (`starts`, one per sentence, ascending) is at or before the hit's, else the first;
 * position is its number from 1, None when the unit has no sentence (and then so are voice and compound).
 * `voices` is the sentences' (voice, speaker) or None (every sentence "own"), `compounds` their scores.
 * topics and actors: the labels of the counted topic hits and of the actor hits, sorted, joined by "\x1f".
 * Python twin: batch._hit_rows. */
static int append_to(PyObject *columns, Py_ssize_t i, PyObject *value) {
    if (!value) return -1;
    int bad = PyList_Append(PyList_GET_ITEM(columns, i), value);
    Py_DECREF(value);
    return bad;
}

static PyObject *joined_labels(PyObject *set) {
    PyObject *list = PySequence_List(set), *sep = NULL, *out = NULL;
    if (list && PyList_Sort(list) == 0 && (sep = PyUnicode_FromOrdinal(0x1f))) out = PyUnicode_Join(sep, list);
    Py_XDECREF(list);
    Py_XDECREF(sep);
    return out;
}

static PyObject *module_hit_rows(PyObject *self, PyObject *args) {
    PyObject *row, *hits, *starts, *voices, *compounds, *tags, *mentions;
    if (!PyArg_ParseTuple(args, "O!O!O!OO!O!O!", &PyLong_Type, &row, &PyList_Type, &hits, &PyList_Type, &starts,
                          &voices, &PyList_Type, &compounds, &PyList_Type, &tags, &PyList_Type, &mentions))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(starts);
    if (PyList_GET_SIZE(tags) != 11 || PyList_GET_SIZE(mentions) != 8 || PyList_GET_SIZE(compounds) != n ||
        (voices != Py_None && (!PyList_Check(voices) || PyList_GET_SIZE(voices) != n))) {
        PyErr_SetString(PyExc_ValueError, "hit_rows() needs 11 tag and 8 mention columns, and a voice and a "
                                          "compound per sentence start");
        return NULL;
    }
    for (int i = 0; i < 11; i++)
        if (!PyList_Check(PyList_GET_ITEM(tags, i)) || (i < 8 && !PyList_Check(PyList_GET_ITEM(mentions, i)))) {
            PyErr_SetString(PyExc_TypeError, "hit_rows() needs lists as columns");
            return NULL;
        }
    Py_ssize_t *at = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n + 1));
    PyObject *topics = PySet_New(NULL), *actors = PySet_New(NULL), *own = PyUnicode_FromString("own"), *out = NULL;
    if (!at || !topics || !actors || !own) { if (!at) PyErr_NoMemory(); goto done; }
    for (Py_ssize_t k = 0; k < n; k++) {
        at[k] = PyLong_AsSsize_t(PyList_GET_ITEM(starts, k));
        if (at[k] == -1 && PyErr_Occurred()) goto done;
    }
    for (Py_ssize_t h = 0; h < PyList_GET_SIZE(hits); h++) {
        PyObject *hit = PyList_GET_ITEM(hits, h);
        if (!PyTuple_Check(hit) || PyTuple_GET_SIZE(hit) != 10) {
            PyErr_SetString(PyExc_TypeError, "hit_rows() needs hits of 10 fields");
            goto done;
        }
        Py_ssize_t start = PyLong_AsSsize_t(PyTuple_GET_ITEM(hit, 4));
        if (start == -1 && PyErr_Occurred()) goto done;
        /* max(bisect_right(starts, start) - 1, 0) */
        Py_ssize_t lo = 0, hi = n;
        while (lo < hi) {
            Py_ssize_t mid = lo + (hi - lo) / 2;
            if (start < at[mid]) hi = mid;
            else lo = mid + 1;
        }
        Py_ssize_t k = lo > 0 ? lo - 1 : 0;
        PyObject *position = n ? PyLong_FromSsize_t(k + 1) : Py_NewRef(Py_None);
        if (!position) goto done;
        PyObject *kind = PyTuple_GET_ITEM(hit, 0), *label = PyTuple_GET_ITEM(hit, 1);
        int topic = PyUnicode_Check(kind) && PyUnicode_CompareWithASCIIString(kind, "topic") == 0, bad = 0;
        if (topic) {
            int counted = PyObject_IsTrue(PyTuple_GET_ITEM(hit, 8));
            if (counted < 0 || (counted && PySet_Add(topics, label) < 0)) {
                Py_DECREF(position);
                goto done;
            }
            bad = append_to(tags, 0, Py_NewRef(row)) < 0 || append_to(tags, 1, position) < 0;
            for (int f = 1; f < 10 && !bad; f++) bad = append_to(tags, f + 1, Py_NewRef(PyTuple_GET_ITEM(hit, f))) < 0;
        } else {
            PyObject *voice = Py_None, *compound = Py_None;
            if (n) {
                compound = PyList_GET_ITEM(compounds, k);
                if (voices == Py_None) voice = own;
                else {
                    PyObject *pair = PyList_GET_ITEM(voices, k);
                    if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) < 1) {
                        PyErr_SetString(PyExc_TypeError, "hit_rows() needs (voice, speaker) pairs");
                        Py_DECREF(position);
                        goto done;
                    }
                    voice = PyTuple_GET_ITEM(pair, 0);
                }
            }
            bad = PySet_Add(actors, label) < 0 || append_to(mentions, 0, Py_NewRef(row)) < 0 ||
                  append_to(mentions, 1, position) < 0 || append_to(mentions, 2, Py_NewRef(label)) < 0 ||
                  append_to(mentions, 3, Py_NewRef(PyTuple_GET_ITEM(hit, 3))) < 0 ||
                  append_to(mentions, 4, Py_NewRef(PyTuple_GET_ITEM(hit, 4))) < 0 ||
                  append_to(mentions, 5, Py_NewRef(PyTuple_GET_ITEM(hit, 5))) < 0 ||
                  append_to(mentions, 6, Py_NewRef(voice)) < 0 || append_to(mentions, 7, Py_NewRef(compound)) < 0;
        }
        if (bad) goto done;
    }
    {
        PyObject *t = joined_labels(topics), *a = t ? joined_labels(actors) : NULL;
        if (t && a) out = PyTuple_Pack(2, t, a);
        Py_XDECREF(t);
        Py_XDECREF(a);
    }
done:
    PyMem_Free(at);
    Py_XDECREF(topics);
    Py_XDECREF(actors);
    Py_XDECREF(own);
    return out;
}

static PyMethodDef module_methods[] = {
    {"hit_rows", (PyCFunction)module_hit_rows, METH_VARARGS,
     "hit_rows(row, hits, starts, voices, compounds, tags, mentions) -> (topics, actors): a unit's tag and mention rows"},
    {"voices", (PyCFunction)module_voices, METH_VARARGS,
     "voices(spans, speech, text) -> [(voice, speaker), ...]: each sentence's voice, as quotes._voice gives it"},
    {"quote_spans", (PyCFunction)module_quote_spans, METH_O,
     "quote_spans(text) -> [(start, end, closed), ...]: the quotations of text, as quotes._spans finds them"},
    {"tokens", (PyCFunction)module_tokens, METH_O,
     "tokens(text) -> (starts, ends): the word tokens of text (\\w+(?:['’]\\w+)*), as offsets"},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef scanner_methods[] = {
    {"scan", (PyCFunction)scanner_scan, METH_VARARGS,
     "scan(padded, pos, endpos) -> [(start, end), ...]: every match of the lexicon's scanner, as text offsets"},
    {"hits", (PyCFunction)scanner_hits, METH_VARARGS,
     "hits(text, padded, memo, resolve, negator_before, hit) -> (hits, rescanned): the matches as Hit tuples"},
    {"first", (PyCFunction)scanner_first, METH_VARARGS,
     "first(padded, pos, endpos) -> (start, end) or None: the first match scan would give"},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef scanner_members[] = {
    {"word_first", T_INT, offsetof(Scanner, word_first), READONLY,
     "1 when every match begins with a word character (context windows are then searched token by token)"},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject ScannerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "discourse.scoring._scan.Scanner",
    .tp_basicsize = sizeof(Scanner),
    .tp_dealloc = (destructor)scanner_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The lexicon's prefix tree as a scanner: Scanner(nodes, fixes, gap_words)",
    .tp_methods = scanner_methods,
    .tp_members = scanner_members,
    .tp_new = scanner_new,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_scan", "The lexicon scanner of discourse.scoring.lexicon, in C.", -1, module_methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__scan(void) {
    if (PyType_Ready(&ScannerType) < 0 || PyType_Ready(&WordsType) < 0 || PyType_Ready(&RulesType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&ScannerType);
    if (PyModule_AddObject(m, "Scanner", (PyObject *)&ScannerType) < 0) {
        Py_DECREF(&ScannerType);
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(&WordsType);
    if (PyModule_AddObject(m, "Words", (PyObject *)&WordsType) < 0) {
        Py_DECREF(&WordsType);
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(&RulesType);
    if (PyModule_AddObject(m, "Rules", (PyObject *)&RulesType) < 0) {
        Py_DECREF(&RulesType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
