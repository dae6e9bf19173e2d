/* The VADER rules of discourse.sentiment.engine over many sentences at once, in C.
 *
 * discourse/sentiment/engine.py is the specification: this file ports its `_valences`, `_but` and `_scores`
 * rule for rule, in the same order and with the same floating-point operations, so every score is
 * identical (tests/sentiment/test_vader_c.py holds it to the Python engine, which
 * tests/sentiment/test_engine.py holds to vaderSentiment 3.3.2).
 * The tables (lexicon, boosters, negators, idioms, emoji, typography) and the constants come from Python
 * when a Kernel is built; nothing of VADER's data is written here.
 *
 * Kernel.score(text, spans, typography) prepares each span of `text` (typography mapped to ASCII when
 * asked, emoji replaced by their descriptions), splits it into tokens, and returns the
 * (neg, neu, pos, compound) of every span and of all spans joined by whitespace: what
 * engine.score_pieces returns for the prepared pieces. Python's own `sum`, `str.lower` and float
 * rounding are used where their results depend on the Python version or on Unicode tables.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ tables */

enum {
    WF_LEX = 1,          /* a key of the lexicon */
    WF_SCORED = 2,       /* a lexicon key that is not a booster: the only tokens that carry valence */
    WF_BOOST = 4,        /* a booster or dampener */
    WF_NEGATE = 8,       /* in NEGATE */
    WF_IDIOM_START = 16, /* the first word of an idiom or of a multi-word booster */
};

typedef struct {
    uint64_t hash;
    Py_ssize_t off, len; /* the word's UTF-8 bytes in the arena */
    int id;              /* -1: empty slot */
} WordSlot;

typedef struct {
    WordSlot *slots;
    size_t mask;
    char *arena;
    Py_ssize_t arena_len, arena_cap;
    int n;
    double *valence; /* by id: the lexicon valence (0 when not in the lexicon) */
    double *boost;   /* by id: the booster scalar */
    uint8_t *flags;  /* by id: WF_* */
    int cap;
} Words;

typedef struct {
    Py_UCS4 key; /* 0: empty (NUL is never mapped) */
    Py_ssize_t off, len;
} CharSlot;

typedef struct { /* code point -> replacement code points */
    CharSlot *slots;
    size_t mask;
    Py_UCS4 *pool;
    Py_ssize_t pool_len;
} CharMap;

typedef struct {
    int n;
    int ids[3];
    double value;
    int is_int; /* vaderSentiment's value is a Python int (it then sums as one) */
} Idiom;

typedef struct {
    int id;        /* word id, -1 when in no table */
    uint8_t upper; /* str.isupper() of the raw token */
    uint8_t nt;    /* "n't" in the looked-up form */
} Token;

typedef struct {
    PyObject_HEAD
    Words words;
    CharMap emoji, typography;
    Idiom *special;
    int n_special;
    Idiom *phrases;
    int n_phrases;
    double c_incr, n_scalar;
    int least_in_lexicon;
    int id_no, id_never, id_so, id_this, id_least, id_at, id_very, id_kind, id_of, id_but, id_without, id_doubt,
        id_or, id_nor;
    /* sentence splitting (prepare.split_sentences) */
    PyObject *abbreviations, *number_abbreviations; /* frozensets of str */
    PyObject *openers, *closers, *starts;           /* str */
    PyObject *memo;  /* non-ASCII token -> packed (id, upper, nt) */
    PyObject *sum;   /* builtins.sum */
    PyObject *lower; /* "lower" */
    /* scratch, reused between calls */
    Py_UCS4 *buf;
    Py_ssize_t buf_cap;
    Token *toks;
    Py_ssize_t tok_cap;
    Py_ssize_t *hits;
    Py_ssize_t hit_cap;
    double *vals;
    Py_ssize_t val_cap;
    uint8_t *isint;
    Py_ssize_t isint_cap;
} Kernel;

static uint64_t fnv1a(const char *s, Py_ssize_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int words_find(const Words *w, const char *s, Py_ssize_t n) {
    uint64_t h = fnv1a(s, n);
    for (size_t i = h & w->mask;; i = (i + 1) & w->mask) {
        const WordSlot *slot = &w->slots[i];
        if (slot->id < 0)
            return -1;
        if (slot->hash == h && slot->len == n && memcmp(w->arena + slot->off, s, (size_t)n) == 0)
            return slot->id;
    }
}

static int words_grow_ids(Words *w) {
    int cap = w->cap ? w->cap * 2 : 1024;
    double *v = PyMem_Realloc(w->valence, sizeof(double) * (size_t)cap);
    if (!v) return -1;
    w->valence = v;
    double *b = PyMem_Realloc(w->boost, sizeof(double) * (size_t)cap);
    if (!b) return -1;
    w->boost = b;
    uint8_t *f = PyMem_Realloc(w->flags, (size_t)cap);
    if (!f) return -1;
    w->flags = f;
    w->cap = cap;
    return 0;
}

/* The id of a word, added when new. The table is sized for every word up front (no rehash). */
static int words_intern(Words *w, const char *s, Py_ssize_t n) {
    uint64_t h = fnv1a(s, n);
    size_t i = h & w->mask;
    for (;; i = (i + 1) & w->mask) {
        WordSlot *slot = &w->slots[i];
        if (slot->id < 0)
            break;
        if (slot->hash == h && slot->len == n && memcmp(w->arena + slot->off, s, (size_t)n) == 0)
            return slot->id;
    }
    if ((size_t)w->n * 2 >= w->mask) {
        PyErr_SetString(PyExc_RuntimeError, "word table full");
        return -1;
    }
    if (w->arena_len + n > w->arena_cap) {
        Py_ssize_t cap = (w->arena_cap + n) * 2;
        char *a = PyMem_Realloc(w->arena, (size_t)cap);
        if (!a) { PyErr_NoMemory(); return -1; }
        w->arena = a;
        w->arena_cap = cap;
    }
    if (w->n >= w->cap && words_grow_ids(w) < 0) { PyErr_NoMemory(); return -1; }
    memcpy(w->arena + w->arena_len, s, (size_t)n);
    WordSlot *slot = &w->slots[i];
    slot->hash = h;
    slot->off = w->arena_len;
    slot->len = n;
    slot->id = w->n;
    w->arena_len += n;
    w->valence[w->n] = 0.0;
    w->boost[w->n] = 0.0;
    w->flags[w->n] = 0;
    return w->n++;
}

static int intern_str(Words *w, PyObject *word) {
    if (!PyUnicode_Check(word)) {
        PyErr_SetString(PyExc_TypeError, "table words must be str");
        return -1;
    }
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(word, &n);
    if (!s) return -1;
    return words_intern(w, s, n);
}

static const CharSlot *charmap_get(const CharMap *m, Py_UCS4 c) {
    if (!m->slots) return NULL;
    for (size_t i = (c * 2654435761u) & m->mask;; i = (i + 1) & m->mask) {
        const CharSlot *slot = &m->slots[i];
        if (slot->key == 0) return NULL;
        if (slot->key == c) return slot;
    }
}

/* A CharMap from a dict of one-character str keys to str values; `prefix` is put before each value. */
static int charmap_build(CharMap *m, PyObject *dict, const char *prefix) {
    if (!PyDict_Check(dict)) {
        PyErr_SetString(PyExc_TypeError, "character maps must be dicts");
        return -1;
    }
    Py_ssize_t n = PyDict_Size(dict), size = 16;
    while (size < 2 * n + 2) size *= 2;
    m->slots = PyMem_Calloc((size_t)size, sizeof(CharSlot));
    if (!m->slots) { PyErr_NoMemory(); return -1; }
    m->mask = (size_t)size - 1;
    Py_ssize_t total = 0, pos = 0, plen = (Py_ssize_t)strlen(prefix);
    PyObject *key, *value;
    while (PyDict_Next(dict, &pos, &key, &value)) {
        if (!PyUnicode_Check(key) || PyUnicode_GET_LENGTH(key) != 1 || !PyUnicode_Check(value)) {
            PyErr_SetString(PyExc_TypeError, "character maps take one-character str keys and str values");
            return -1;
        }
        total += plen + PyUnicode_GET_LENGTH(value);
    }
    m->pool = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(total + 1));
    if (!m->pool) { PyErr_NoMemory(); return -1; }
    pos = 0;
    while (PyDict_Next(dict, &pos, &key, &value)) {
        Py_UCS4 c = PyUnicode_READ_CHAR(key, 0);
        if (c < 128) { /* the scan looks up non-ASCII characters only */
            PyErr_SetString(PyExc_ValueError, "only non-ASCII characters can be mapped");
            return -1;
        }
        size_t i = (c * 2654435761u) & m->mask;
        while (m->slots[i].key != 0 && m->slots[i].key != c) i = (i + 1) & m->mask;
        CharSlot *slot = &m->slots[i];
        slot->key = c;
        slot->off = m->pool_len;
        for (Py_ssize_t j = 0; j < plen; j++) m->pool[m->pool_len++] = (Py_UCS4)(unsigned char)prefix[j];
        Py_ssize_t vlen = PyUnicode_GET_LENGTH(value);
        for (Py_ssize_t j = 0; j < vlen; j++) m->pool[m->pool_len++] = PyUnicode_READ_CHAR(value, j);
        slot->len = m->pool_len - slot->off;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------ construction */

static void kernel_dealloc(Kernel *k) {
    PyMem_Free(k->words.slots);
    PyMem_Free(k->words.arena);
    PyMem_Free(k->words.valence);
    PyMem_Free(k->words.boost);
    PyMem_Free(k->words.flags);
    PyMem_Free(k->emoji.slots);
    PyMem_Free(k->emoji.pool);
    PyMem_Free(k->typography.slots);
    PyMem_Free(k->typography.pool);
    PyMem_Free(k->special);
    PyMem_Free(k->phrases);
    PyMem_Free(k->buf);
    PyMem_Free(k->toks);
    PyMem_Free(k->hits);
    PyMem_Free(k->vals);
    PyMem_Free(k->isint);
    Py_XDECREF(k->memo);
    Py_XDECREF(k->abbreviations);
    Py_XDECREF(k->number_abbreviations);
    Py_XDECREF(k->openers);
    Py_XDECREF(k->closers);
    Py_XDECREF(k->starts);
    Py_XDECREF(k->sum);
    Py_XDECREF(k->lower);
    Py_TYPE(k)->tp_free((PyObject *)k);
}

static int intern_flag(Kernel *k, PyObject *word, uint8_t flag) {
    int id = intern_str(&k->words, word);
    if (id < 0) return -1;
    k->words.flags[id] |= flag;
    return id;
}

static int intern_cstr(Kernel *k, const char *word) {
    return words_intern(&k->words, word, (Py_ssize_t)strlen(word));
}

/* Idiom keys: tuples of words -> numbers. */
static int build_idioms(Kernel *k, PyObject *dict, Idiom **out, int *count) {
    if (!PyDict_Check(dict)) {
        PyErr_SetString(PyExc_TypeError, "idiom tables must be dicts");
        return -1;
    }
    *out = PyMem_Calloc((size_t)PyDict_Size(dict) + 1, sizeof(Idiom));
    if (!*out) { PyErr_NoMemory(); return -1; }
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    int n = 0;
    while (PyDict_Next(dict, &pos, &key, &value)) {
        if (!PyTuple_Check(key) || PyTuple_GET_SIZE(key) < 1 || PyTuple_GET_SIZE(key) > 3) {
            PyErr_SetString(PyExc_TypeError, "idiom keys are tuples of one to three words");
            return -1;
        }
        Idiom *idiom = &(*out)[n++];
        idiom->n = (int)PyTuple_GET_SIZE(key);
        for (int j = 0; j < idiom->n; j++) {
            int id = intern_str(&k->words, PyTuple_GET_ITEM(key, j));
            if (id < 0) return -1;
            idiom->ids[j] = id;
        }
        k->words.flags[idiom->ids[0]] |= WF_IDIOM_START;
        idiom->is_int = PyLong_Check(value);
        idiom->value = PyFloat_AsDouble(value);
        if (idiom->value == -1.0 && PyErr_Occurred()) return -1;
    }
    *count = n;
    return 0;
}

static PyObject *kernel_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    static char *names[] = {"lexicon", "boosters", "negate", "special", "phrases", "emoji", "typography", "c_incr",
                            "n_scalar", "abbreviations", "number_abbreviations", "openers", "closers", "starts",
                            NULL};
    PyObject *lexicon, *boosters, *negate, *special, *phrases, *emoji, *typography, *abbreviations,
        *number_abbreviations, *openers, *closers, *starts;
    double c_incr, n_scalar;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!O!OO!O!O!O!ddO!O!UUU", names, &PyDict_Type, &lexicon,
                                     &PyDict_Type, &boosters, &negate, &PyDict_Type, &special, &PyDict_Type,
                                     &phrases, &PyDict_Type, &emoji, &PyDict_Type, &typography, &c_incr, &n_scalar,
                                     &PyFrozenSet_Type, &abbreviations, &PyFrozenSet_Type, &number_abbreviations,
                                     &openers, &closers, &starts))
        return NULL;
    Kernel *k = (Kernel *)type->tp_alloc(type, 0);
    if (!k) return NULL;
    Py_INCREF(abbreviations);
    k->abbreviations = abbreviations;
    Py_INCREF(number_abbreviations);
    k->number_abbreviations = number_abbreviations;
    Py_INCREF(openers);
    k->openers = openers;
    Py_INCREF(closers);
    k->closers = closers;
    Py_INCREF(starts);
    k->starts = starts;
    k->c_incr = c_incr;
    k->n_scalar = n_scalar;
    PyObject *negate_list = NULL;
    Py_ssize_t size = 64, n_negate = PyObject_Length(negate);
    if (n_negate < 0) goto fail;
    Py_ssize_t words = PyDict_Size(lexicon) + PyDict_Size(boosters) + n_negate + 64;
    while (size < 4 * words) size *= 2;
    k->words.slots = PyMem_Malloc(sizeof(WordSlot) * (size_t)size);
    if (!k->words.slots) { PyErr_NoMemory(); goto fail; }
    for (Py_ssize_t i = 0; i < size; i++) k->words.slots[i].id = -1;
    k->words.mask = (size_t)size - 1;

    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(lexicon, &pos, &key, &value)) {
        int id = intern_flag(k, key, WF_LEX);
        if (id < 0) goto fail;
        k->words.valence[id] = PyFloat_AsDouble(value);
        if (PyErr_Occurred()) goto fail;
    }
    pos = 0;
    while (PyDict_Next(boosters, &pos, &key, &value)) {
        int id = intern_flag(k, key, WF_BOOST);
        if (id < 0) goto fail;
        k->words.boost[id] = PyFloat_AsDouble(value);
        if (PyErr_Occurred()) goto fail;
    }
    for (int id = 0; id < k->words.n; id++)
        if ((k->words.flags[id] & WF_LEX) && !(k->words.flags[id] & WF_BOOST)) k->words.flags[id] |= WF_SCORED;
    negate_list = PySequence_List(negate);
    if (!negate_list) goto fail;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(negate_list); i++)
        if (intern_flag(k, PyList_GET_ITEM(negate_list, i), WF_NEGATE) < 0) goto fail;
    Py_CLEAR(negate_list);
    if (build_idioms(k, special, &k->special, &k->n_special) < 0) goto fail;
    if (build_idioms(k, phrases, &k->phrases, &k->n_phrases) < 0) goto fail;
    for (int j = 0; j < k->n_phrases; j++)
        if (k->phrases[j].is_int) {
            PyErr_SetString(PyExc_ValueError, "booster phrases hold floats");
            goto fail;
        }
    if ((k->id_no = intern_cstr(k, "no")) < 0 || (k->id_never = intern_cstr(k, "never")) < 0 ||
        (k->id_so = intern_cstr(k, "so")) < 0 || (k->id_this = intern_cstr(k, "this")) < 0 ||
        (k->id_least = intern_cstr(k, "least")) < 0 || (k->id_at = intern_cstr(k, "at")) < 0 ||
        (k->id_very = intern_cstr(k, "very")) < 0 || (k->id_kind = intern_cstr(k, "kind")) < 0 ||
        (k->id_of = intern_cstr(k, "of")) < 0 || (k->id_but = intern_cstr(k, "but")) < 0 ||
        (k->id_without = intern_cstr(k, "without")) < 0 || (k->id_doubt = intern_cstr(k, "doubt")) < 0 ||
        (k->id_or = intern_cstr(k, "or")) < 0 || (k->id_nor = intern_cstr(k, "nor")) < 0)
        goto fail;
    k->least_in_lexicon = (k->words.flags[k->id_least] & WF_LEX) != 0;
    if (charmap_build(&k->emoji, emoji, " ") < 0) goto fail;
    if (charmap_build(&k->typography, typography, "") < 0) goto fail;
    for (Py_ssize_t i = 0; i < k->typography.pool_len; i++)
        if (k->typography.pool[i] >= 128) {
            PyErr_SetString(PyExc_ValueError, "typography maps to ASCII only");
            goto fail;
        }
    k->memo = PyDict_New();
    k->lower = PyUnicode_InternFromString("lower");
    k->sum = PyDict_GetItemString(PyEval_GetBuiltins(), "sum");
    if (!k->memo || !k->lower || !k->sum) goto fail;
    Py_INCREF(k->sum);
    return (PyObject *)k;
fail:
    Py_XDECREF(negate_list);
    Py_DECREF(k);
    return NULL;
}

/* -------------------------------------------------------------------------------------- tokenising */

static int reserve(void **ptr, Py_ssize_t *cap, Py_ssize_t need, size_t item) {
    if (need <= *cap) return 0;
    Py_ssize_t n = *cap ? *cap : 256;
    while (n < need) n *= 2;
    void *p = PyMem_Realloc(*ptr, item * (size_t)n);
    if (!p) { PyErr_NoMemory(); return -1; }
    *ptr = p;
    *cap = n;
    return 0;
}

/* string.punctuation */
static int is_punct(Py_UCS4 c) {
    return c < 128 && c > 32 && c != 127 && !(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z') &&
           !(c >= 'a' && c <= 'z');
}

static int has_nt(const char *s, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i + 2 < n; i++)
        if (s[i] == 'n' && s[i + 1] == '\'' && s[i + 2] == 't') return 1;
    return 0;
}

/* str.isupper() */
static int is_upper(const Py_UCS4 *s, Py_ssize_t n) {
    int cased = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (Py_UNICODE_ISLOWER(s[i]) || Py_UNICODE_ISTITLE(s[i])) return 0;
        if (!cased && Py_UNICODE_ISUPPER(s[i])) cased = 1;
    }
    return cased;
}

/* A token's form, as engine._Forms makes it: lowercased, then stripped of ASCII punctuation unless that
 * leaves two characters or fewer. ASCII tokens are handled here; others through str.lower (its full case
 * mapping) and a memo. */
static int classify(Kernel *k, const Py_UCS4 *s, Py_ssize_t n, Token *tok) {
    int ascii = 1;
    for (Py_ssize_t i = 0; i < n; i++)
        if (s[i] >= 128) { ascii = 0; break; }
    if (ascii) {
        char small[64];
        char *low = n <= (Py_ssize_t)sizeof(small) ? small : PyMem_Malloc((size_t)n);
        if (!low) { PyErr_NoMemory(); return -1; }
        int has_up = 0, has_low = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_UCS4 c = s[i];
            if (c >= 'A' && c <= 'Z') { has_up = 1; c += 32; }
            else if (c >= 'a' && c <= 'z') has_low = 1;
            low[i] = (char)c;
        }
        Py_ssize_t a = 0, b = n;
        while (a < b && is_punct((unsigned char)low[a])) a++;
        while (b > a && is_punct((unsigned char)low[b - 1])) b--;
        const char *form = low;
        Py_ssize_t len = n;
        if (b - a > 2) { form = low + a; len = b - a; }
        tok->id = words_find(&k->words, form, len);
        tok->nt = (uint8_t)has_nt(form, len);
        tok->upper = (uint8_t)(has_up && !has_low);
        if (low != small) PyMem_Free(low);
        return 0;
    }
    PyObject *raw = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, s, n);
    if (!raw) return -1;
    PyObject *packed = PyDict_GetItemWithError(k->memo, raw);
    if (packed) {
        long v = PyLong_AsLong(packed);
        Py_DECREF(raw);
        tok->id = (int)(v >> 2) - 1;
        tok->upper = (uint8_t)((v >> 1) & 1);
        tok->nt = (uint8_t)(v & 1);
        return 0;
    }
    if (PyErr_Occurred()) { Py_DECREF(raw); return -1; }
    PyObject *word = PyObject_CallMethodNoArgs(raw, k->lower);
    if (!word) { Py_DECREF(raw); return -1; }
    Py_ssize_t wn = PyUnicode_GET_LENGTH(word), a = 0, b = wn;
    while (a < b && is_punct(PyUnicode_READ_CHAR(word, a))) a++;
    while (b > a && is_punct(PyUnicode_READ_CHAR(word, b - 1))) b--;
    PyObject *form = b - a > 2 ? PyUnicode_Substring(word, a, b) : (Py_INCREF(word), word);
    Py_DECREF(word);
    if (!form) { Py_DECREF(raw); return -1; }
    Py_ssize_t len;
    const char *utf8 = PyUnicode_AsUTF8AndSize(form, &len);
    if (!utf8) { Py_DECREF(form); Py_DECREF(raw); return -1; }
    tok->id = words_find(&k->words, utf8, len);
    tok->nt = (uint8_t)has_nt(utf8, len);
    tok->upper = (uint8_t)is_upper(s, n);
    Py_DECREF(form);
    if (PyDict_GET_SIZE(k->memo) >= 100000) PyDict_Clear(k->memo);
    PyObject *v = PyLong_FromLong(((long)(tok->id + 1) << 2) | (tok->upper << 1) | tok->nt);
    int err = !v || PyDict_SetItem(k->memo, raw, v) < 0;
    Py_XDECREF(v);
    Py_DECREF(raw);
    return err ? -1 : 0;
}

/* ------------------------------------------------------------------------------------------- rules */

#define ID_FLAGS(k, id) ((id) < 0 ? 0 : (k)->words.flags[id])
#define IN_LEX(k, id) (ID_FLAGS(k, id) & WF_LEX)

/* engine._booster */
static double booster(const Kernel *k, double scalar, int raw_upper, double valence, int cap_diff) {
    if (valence < 0) scalar *= -1;
    if (cap_diff && raw_upper) {
        if (valence > 0) scalar += k->c_incr;
        else scalar -= k->c_incr;
    }
    return scalar;
}

static const Idiom *find_idiom(const Idiom *table, int count, int n, int a, int b, int c) {
    for (int j = 0; j < count; j++) {
        const Idiom *t = &table[j];
        if (t->n == n && t->ids[0] == a && t->ids[1] == b && (n == 2 || t->ids[2] == c)) return t;
    }
    return NULL;
}

/* engine._idioms */
static double idioms(const Kernel *k, double valence, int *is_int, const Token *t, Py_ssize_t i, Py_ssize_t end) {
    int w3 = t[i - 3].id, w2 = t[i - 2].id, w1 = t[i - 1].id, w0 = t[i].id;
    const Idiom *hit = NULL;
    if (w1 >= 0 && w0 >= 0 && (hit = find_idiom(k->special, k->n_special, 2, w1, w0, 0))) {}
    else if (w2 >= 0 && w1 >= 0 && w0 >= 0 && (hit = find_idiom(k->special, k->n_special, 3, w2, w1, w0))) {}
    else if (w2 >= 0 && w1 >= 0 && (hit = find_idiom(k->special, k->n_special, 2, w2, w1, 0))) {}
    else if (w3 >= 0 && w2 >= 0 && w1 >= 0 && (hit = find_idiom(k->special, k->n_special, 3, w3, w2, w1))) {}
    else if (w3 >= 0 && w2 >= 0 && (hit = find_idiom(k->special, k->n_special, 2, w3, w2, 0))) {}
    if (hit) { valence = hit->value; *is_int = hit->is_int; }
    if (end - 1 > i && w0 >= 0 && t[i + 1].id >= 0 &&
        (hit = find_idiom(k->special, k->n_special, 2, w0, t[i + 1].id, 0))) {
        valence = hit->value;
        *is_int = hit->is_int;
    }
    if (end - 1 > i + 1 && w0 >= 0 && t[i + 1].id >= 0 && t[i + 2].id >= 0 &&
        (hit = find_idiom(k->special, k->n_special, 3, w0, t[i + 1].id, t[i + 2].id))) {
        valence = hit->value;
        *is_int = hit->is_int;
    }
    if (w3 >= 0 && w2 >= 0 && w1 >= 0 && (hit = find_idiom(k->phrases, k->n_phrases, 3, w3, w2, w1))) {
        valence = valence + hit->value;
        *is_int = 0;
    }
    if (w3 >= 0 && w2 >= 0 && (hit = find_idiom(k->phrases, k->n_phrases, 2, w3, w2, 0))) {
        valence = valence + hit->value;
        *is_int = 0;
    }
    if (w2 >= 0 && w1 >= 0 && (hit = find_idiom(k->phrases, k->n_phrases, 2, w2, w1, 0))) {
        valence = valence + hit->value;
        *is_int = 0;
    }
    return valence;
}

#define NEGATES(k, tok) ((ID_FLAGS(k, (tok).id) & WF_NEGATE) || (tok).nt)
#define SO_OR_THIS(k, id) ((id) == (k)->id_so || (id) == (k)->id_this)

/* engine._valences for the sentiment words `hits` of one window [first, end) of tokens. */
static void valences(const Kernel *k, const Token *t, const Py_ssize_t *hits, Py_ssize_t nh, Py_ssize_t first,
                     Py_ssize_t end, int cap_diff, double *vals, uint8_t *isint) {
    Py_ssize_t second = first + 1, third = first + 2, last = end - 1;
    for (Py_ssize_t h = 0; h < nh; h++) {
        Py_ssize_t i = hits[h];
        int word = t[i].id, vint = 0;
        if (word == k->id_kind && i < last && t[i + 1].id == k->id_of) {
            vals[h] = 0.0;
            isint[h] = 1;
            continue;
        }
        double base = k->words.valence[word], valence = base;
        if (word == k->id_no && i != last && IN_LEX(k, t[i + 1].id)) valence = 0.0;
        if ((i > first && t[i - 1].id == k->id_no) || (i > second && t[i - 2].id == k->id_no) ||
            (i > third && t[i - 3].id == k->id_no && (t[i - 1].id == k->id_or || t[i - 1].id == k->id_nor)))
            valence = base * k->n_scalar;
        if (cap_diff && t[i].upper) valence = valence > 0 ? valence + k->c_incr : valence - k->c_incr;

        if (i > first && !IN_LEX(k, t[i - 1].id)) {
            const Token *prev = &t[i - 1];
            double scalar = (ID_FLAGS(k, prev->id) & WF_BOOST)
                ? booster(k, k->words.boost[prev->id], prev->upper, valence, cap_diff) : 0.0;
            valence = valence + scalar;
            if (NEGATES(k, *prev)) valence = valence * k->n_scalar;
        }
        if (i > second && !IN_LEX(k, t[i - 2].id)) {
            const Token *prev = &t[i - 2];
            double scalar = (ID_FLAGS(k, prev->id) & WF_BOOST)
                ? booster(k, k->words.boost[prev->id], prev->upper, valence, cap_diff) * 0.95 : 0.0;
            valence = valence + scalar;
            if (prev->id == k->id_never && SO_OR_THIS(k, t[i - 1].id)) valence = valence * 1.25;
            else if (prev->id == k->id_without && t[i - 1].id == k->id_doubt) {}
            else if (NEGATES(k, *prev)) valence = valence * k->n_scalar;
        }
        if (i > third && !IN_LEX(k, t[i - 3].id)) {
            const Token *prev = &t[i - 3];
            double scalar = (ID_FLAGS(k, prev->id) & WF_BOOST)
                ? booster(k, k->words.boost[prev->id], prev->upper, valence, cap_diff) * 0.9 : 0.0;
            valence = valence + scalar;
            if ((prev->id == k->id_never && SO_OR_THIS(k, t[i - 2].id)) || SO_OR_THIS(k, t[i - 1].id))
                valence = valence * 1.25;
            else if (prev->id == k->id_without && (t[i - 2].id == k->id_doubt || t[i - 1].id == k->id_doubt)) {}
            else if (NEGATES(k, *prev)) valence = valence * k->n_scalar;
            if ((ID_FLAGS(k, prev->id) | ID_FLAGS(k, t[i - 2].id) | ID_FLAGS(k, t[i - 1].id) | ID_FLAGS(k, word)) &
                WF_IDIOM_START)
                valence = idioms(k, valence, &vint, t, i, end);
        }
        if (i > first && t[i - 1].id == k->id_least && !k->least_in_lexicon &&
            (i == second || (t[i - 2].id != k->id_at && t[i - 2].id != k->id_very))) {
            valence = valence * k->n_scalar;
            vint = 0;
        }
        vals[h] = valence;
        isint[h] = (uint8_t)vint;
    }
}

/* engine._but: rescale the valences before and after the first "but", each step scaling the FIRST word
 * that currently holds the visited value, as vaderSentiment's list.index does. A visited position still
 * holds its original value (earlier steps only touch earlier positions), so the first holder lies at or
 * before it: holders of each value are kept as a sorted run that only ever loses its first element or
 * gains a new one, in a min-heap per value. */
typedef struct {
    double value;
    Py_ssize_t *heap;
    Py_ssize_t n, cap;
} Holders;

static void heap_push(Holders *g, Py_ssize_t x) {
    Py_ssize_t i = g->n++;
    g->heap[i] = x;
    while (i > 0) {
        Py_ssize_t parent = (i - 1) / 2;
        if (g->heap[parent] <= g->heap[i]) break;
        Py_ssize_t tmp = g->heap[parent];
        g->heap[parent] = g->heap[i];
        g->heap[i] = tmp;
        i = parent;
    }
}

static void heap_pop(Holders *g) {
    g->heap[0] = g->heap[--g->n];
    Py_ssize_t i = 0;
    for (;;) {
        Py_ssize_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < g->n && g->heap[l] < g->heap[m]) m = l;
        if (r < g->n && g->heap[r] < g->heap[m]) m = r;
        if (m == i) break;
        Py_ssize_t tmp = g->heap[m];
        g->heap[m] = g->heap[i];
        g->heap[i] = tmp;
        i = m;
    }
}

/* Position `pos` now holds `value`: push it on the value's heap `g`, starting the heap (and listing it in
 * `groups`, to be freed) when the value is new. -1 when memory runs out. */
static int holders_add(Holders *g, double value, Py_ssize_t pos, Holders **groups, Py_ssize_t *n_groups) {
    if (!g->heap) {
        g->value = value;
        g->cap = 4;
        g->heap = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)g->cap);
        if (!g->heap) return -1;
        groups[(*n_groups)++] = g;
    }
    if (g->n == g->cap) {
        Py_ssize_t *p = PyMem_Realloc(g->heap, sizeof(Py_ssize_t) * (size_t)(g->cap * 2));
        if (!p) return -1;
        g->heap = p;
        g->cap *= 2;
    }
    heap_push(g, pos);
    return 0;
}

static uint64_t double_hash(double v) {
    uint64_t bits;
    if (v == 0) v = 0.0; /* -0.0 and 0.0 are one key, as in a dict */
    memcpy(&bits, &v, sizeof bits);
    bits ^= bits >> 33;
    bits *= 0xff51afd7ed558ccdULL;
    bits ^= bits >> 33;
    return bits;
}

static int but_rescale(const Py_ssize_t *positions, double *values, uint8_t *isint, Py_ssize_t m,
                       Py_ssize_t but_index) {
    size_t size = 16;
    while (size < (size_t)(4 * m + 4)) size *= 2;
    /* every value held at some time: at most 2m; each gets a slot and a heap of at most m positions */
    Holders *slots = PyMem_Calloc(size, sizeof(Holders));
    double *original = PyMem_Malloc(sizeof(double) * (size_t)(m + 1));
    int ok = slots && original;
    Holders **groups = NULL;
    Py_ssize_t n_groups = 0;
    if (ok) {
        groups = PyMem_Malloc(sizeof(Holders *) * (size_t)(2 * m + 1));
        ok = groups != NULL;
    }
    if (!ok) {
        PyMem_Free(slots); PyMem_Free(original); PyMem_Free(groups);
        PyErr_NoMemory();
        return -1;
    }
    size_t mask = size - 1;
#define GROUP(v, out)                                                                              \
    do {                                                                                           \
        size_t i_ = double_hash(v) & mask;                                                         \
        while (slots[i_].heap && slots[i_].value != (v)) i_ = (i_ + 1) & mask;                     \
        (out) = &slots[i_];                                                                        \
    } while (0)
    int failed = 0;
    for (Py_ssize_t j = 0; j < m && !failed; j++) {
        original[j] = values[j];
        if (values[j] == 0) continue;
        Holders *g;
        GROUP(values[j], g);
        if (holders_add(g, values[j], j, groups, &n_groups) < 0) { failed = 1; break; }
    }
    for (Py_ssize_t j = 0; j < m && !failed; j++) {
        double value = original[j];
        if (value == 0) continue;
        Holders *g;
        GROUP(value, g);
        if (!g->heap || g->n == 0) { /* cannot happen: the visited position holds the value */
            failed = 2;
            break;
        }
        Py_ssize_t first = g->heap[0], position = positions[first];
        if (position == but_index) continue;
        double factor = position < but_index ? 0.5 : 1.5;
        heap_pop(g);
        double scaled = value * factor;
        values[first] = scaled;
        isint[first] = 0;
        if (scaled == 0) continue; /* a zero is never looked up again */
        Holders *s;
        GROUP(scaled, s);
        if (holders_add(s, scaled, first, groups, &n_groups) < 0) { failed = 1; break; }
    }
#undef GROUP
    for (Py_ssize_t j = 0; j < n_groups; j++) PyMem_Free(groups[j]->heap);
    PyMem_Free(groups);
    PyMem_Free(slots);
    PyMem_Free(original);
    if (failed == 2) {
        PyErr_SetString(PyExc_RuntimeError, "but rule: a visited value has no holder");
        return -1;
    }
    if (failed) { PyErr_NoMemory(); return -1; }
    return 0;
}

/* float.__round__(x, ndigits) for ndigits 3 or 4: the decimal nearest to x, ties to even, on x's exact binary
 * value, then the double nearest to that decimal. With 128-bit integers the comparison with the halfway
 * point is exact; elsewhere (and for values far outside the scores' range) Python's own correctly rounded
 * formatting is read back, which is what float.__round__ does. */
static int py_round(double x, int ndigits, double *out) {
#ifdef __SIZEOF_INT128__
    double ax = fabs(x);
    if (ax < 1e6) {
        uint64_t scale = ndigits == 3 ? 1000u : 10000u;
        int ex;
        double f = frexp(ax, &ex); /* ax = f * 2^ex, 0.5 <= f < 1 (or ax == 0) */
        uint64_t mant = (uint64_t)ldexp(f, 53);
        int shift = 53 - ex;        /* ax = mant / 2^shift, exactly */
        uint64_t k = 0;
        if (ax != 0 && shift <= 120) {
            unsigned __int128 n = (unsigned __int128)mant * scale;
            if (shift <= 0) {
                k = (uint64_t)(n << -shift);
            } else {
                unsigned __int128 q = n >> shift, rem = n - (q << shift), half = (unsigned __int128)1 << (shift - 1);
                k = (uint64_t)q;
                if (rem > half || (rem == half && (k & 1))) k += 1;
            }
        }
        *out = copysign((double)k / (double)scale, x);
        return 0;
    }
#endif
    char *s = PyOS_double_to_string(x, 'f', ndigits, 0, NULL);
    if (!s) return -1;
    *out = PyOS_string_to_double(s, NULL, NULL);
    PyMem_Free(s);
    return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

/* float(sum(values)) with Python's own sum (3.12 and later compensate, and add ints apart from floats);
 * one or two values sum the same in every version. */
static int py_sum(const Kernel *k, const double *values, const uint8_t *isint, Py_ssize_t m, double *out) {
    if (m <= 2) {
        double s = 0.0;
        for (Py_ssize_t j = 0; j < m; j++) s = s + values[j];
        *out = s;
        return 0;
    }
    PyObject *list = PyList_New(m);
    if (!list) return -1;
    for (Py_ssize_t j = 0; j < m; j++) {
        PyObject *v = isint[j] ? PyLong_FromDouble(values[j]) : PyFloat_FromDouble(values[j]);
        if (!v) { Py_DECREF(list); return -1; }
        PyList_SET_ITEM(list, j, v);
    }
    PyObject *total = PyObject_CallOneArg(k->sum, list);
    Py_DECREF(list);
    if (!total) return -1;
    *out = PyFloat_AsDouble(total);
    Py_DECREF(total);
    return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

/* engine._scores: (neg, neu, pos, compound) of `m` valences among `n` tokens. */
static PyObject *scores(const Kernel *k, const double *values, const uint8_t *isint, Py_ssize_t m, Py_ssize_t n,
                        Py_ssize_t exclamations, Py_ssize_t questions) {
    double out[4] = {0.0, 0.0, 0.0, 0.0};
    if (n > 0) {
        double sum_s;
        if (py_sum(k, values, isint, m, &sum_s) < 0) return NULL;
        double emphasis = (double)(exclamations < 4 ? exclamations : 4) * 0.292;
        if (questions > 1) emphasis += questions <= 3 ? (double)questions * 0.18 : 0.96;
        if (sum_s > 0) sum_s += emphasis;
        else if (sum_s < 0) sum_s -= emphasis;
        double compound = sum_s / sqrt((sum_s * sum_s) + 15.0);
        if (compound < -1.0) compound = -1.0;
        else if (compound > 1.0) compound = 1.0;
        double pos_sum = 0.0, neg_sum = 0.0;
        Py_ssize_t neu_count = n;
        for (Py_ssize_t j = 0; j < m; j++) {
            double s = values[j];
            if (s > 0) { pos_sum += (s + 1); neu_count -= 1; }
            else if (s < 0) { neg_sum += (s - 1); neu_count -= 1; }
        }
        if (pos_sum > fabs(neg_sum)) pos_sum += emphasis;
        else if (pos_sum < fabs(neg_sum)) neg_sum -= emphasis;
        double total = pos_sum + fabs(neg_sum) + (double)neu_count;
        if (py_round(fabs(neg_sum / total), 3, &out[0]) < 0 ||
            py_round(fabs((double)neu_count / total), 3, &out[1]) < 0 ||
            py_round(fabs(pos_sum / total), 3, &out[2]) < 0 || py_round(compound, 4, &out[3]) < 0)
            return NULL;
    }
    return Py_BuildValue("(dddd)", out[0], out[1], out[2], out[3]);
}

/* The scores of the tokens [first, end) as one text. */
static PyObject *score_window(Kernel *k, Py_ssize_t first, Py_ssize_t end, Py_ssize_t exclamations,
                              Py_ssize_t questions) {
    const Token *t = k->toks;
    Py_ssize_t nh = 0, caps = 0, but_index = -1;
    if (reserve((void **)&k->hits, &k->hit_cap, end - first + 1, sizeof(Py_ssize_t)) < 0) return NULL;
    for (Py_ssize_t i = first; i < end; i++) {
        if (ID_FLAGS(k, t[i].id) & WF_SCORED) k->hits[nh++] = i;
        caps += t[i].upper;
        if (but_index < 0 && t[i].id == k->id_but) but_index = i;
    }
    if (reserve((void **)&k->vals, &k->val_cap, nh + 1, sizeof(double)) < 0 ||
        reserve((void **)&k->isint, &k->isint_cap, nh + 1, sizeof(uint8_t)) < 0)
        return NULL;
    Py_ssize_t n = end - first;
    valences(k, t, k->hits, nh, first, end, 0 < caps && caps < n, k->vals, k->isint);
    if (but_index >= 0 && but_rescale(k->hits, k->vals, k->isint, nh, but_index) < 0) return NULL;
    return scores(k, k->vals, k->isint, nh, n, exclamations, questions);
}

/* ------------------------------------------------------------------------------------------- score */

static PyObject *score(Kernel *k, PyObject *text, PyObject *spans, int typography) {
    PyObject *seq = PySequence_Fast(spans, "spans must be a sequence of (start, end) pairs");
    if (!seq) return NULL;
    Py_ssize_t n_spans = PySequence_Fast_GET_SIZE(seq), length = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    PyObject *each = NULL, *whole = NULL, *result = NULL;
    Py_ssize_t *bounds = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(3 * n_spans + 1));
    if (!bounds) { PyErr_NoMemory(); goto done; }
    Py_ssize_t n_tok = 0, all_excl = 0, all_quest = 0;
    for (Py_ssize_t p = 0; p < n_spans; p++) {
        Py_ssize_t a, b;
        PyObject *span = PySequence_Fast_GET_ITEM(seq, p);
        if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) != 2) {
            PyErr_SetString(PyExc_TypeError, "spans must be (start, end) tuples");
            goto done;
        }
        a = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 0));
        b = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 1));
        if (PyErr_Occurred()) goto done;
        if (a < 0 || b < a || b > length) {
            PyErr_Format(PyExc_ValueError, "span (%zd, %zd) is outside the text of %zd characters", a, b, length);
            goto done;
        }
        /* the prepared piece */
        Py_ssize_t len = 0;
        if (reserve((void **)&k->buf, &k->buf_cap, b - a + 1, sizeof(Py_UCS4)) < 0) goto done;
        for (Py_ssize_t i = a; i < b; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (c >= 128) {
                /* a typographic character (when asked) becomes its ASCII form, else an emoji its description */
                const CharMap *map = &k->typography;
                const CharSlot *slot = typography ? charmap_get(map, c) : NULL;
                if (!slot) {
                    map = &k->emoji;
                    slot = charmap_get(map, c);
                }
                if (slot) {
                    if (reserve((void **)&k->buf, &k->buf_cap, len + slot->len + (b - i), sizeof(Py_UCS4)) < 0)
                        goto done;
                    memcpy(k->buf + len, map->pool + slot->off, sizeof(Py_UCS4) * (size_t)slot->len);
                    len += slot->len;
                    continue;
                }
            }
            k->buf[len++] = c; /* room for every character left was reserved */
        }
        /* its tokens */
        Py_ssize_t excl = 0, quest = 0, start_tok = n_tok;
        for (Py_ssize_t i = 0; i < len;) {
            Py_UCS4 c = k->buf[i];
            if (Py_UNICODE_ISSPACE(c)) { i++; continue; }
            Py_ssize_t j = i;
            while (j < len && !Py_UNICODE_ISSPACE(k->buf[j])) {
                excl += k->buf[j] == '!';
                quest += k->buf[j] == '?';
                j++;
            }
            if (reserve((void **)&k->toks, &k->tok_cap, n_tok + 1, sizeof(Token)) < 0) goto done;
            if (classify(k, k->buf + i, j - i, &k->toks[n_tok]) < 0) goto done;
            n_tok++;
            i = j;
        }
        bounds[3 * p] = start_tok;
        bounds[3 * p + 1] = excl;
        bounds[3 * p + 2] = quest;
        all_excl += excl;
        all_quest += quest;
    }
    bounds[3 * n_spans] = n_tok;
    each = PyList_New(n_spans);
    if (!each) goto done;
    for (Py_ssize_t p = 0; p < n_spans; p++) {
        PyObject *s = score_window(k, bounds[3 * p], bounds[3 * (p + 1)], bounds[3 * p + 1], bounds[3 * p + 2]);
        if (!s) goto done;
        PyList_SET_ITEM(each, p, s);
    }
    whole = score_window(k, 0, n_tok, all_excl, all_quest);
    if (!whole) goto done;
    result = PyTuple_Pack(2, each, whole);
done:
    PyMem_Free(bounds);
    Py_XDECREF(each);
    Py_XDECREF(whole);
    Py_DECREF(seq);
    return result;
}

static PyObject *kernel_score(Kernel *k, PyObject *args) {
    PyObject *text, *spans;
    int typography;
    if (!PyArg_ParseTuple(args, "UOp", &text, &spans, &typography)) return NULL;
    return score(k, text, spans, typography);
}

/* ------------------------------------------------------------------------------ sentence splitting */

static int in_str(PyObject *chars, Py_UCS4 c) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(chars);
    int kind = PyUnicode_KIND(chars);
    const void *data = PyUnicode_DATA(chars);
    for (Py_ssize_t i = 0; i < n; i++)
        if (PyUnicode_READ(kind, data, i) == c) return 1;
    return 0;
}

static int is_term(Py_UCS4 c) { return c == '.' || c == '!' || c == '?' || c == 0x2026; }

/* [^\W\d_]: a word character that is not a decimal digit nor an underscore */
static int is_letter(Py_UCS4 c) { return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c) && c != '_'; }

/* prepare._DOTTED.fullmatch: (?:L\.)+L */
static int dotted(const void *data, int kind, Py_ssize_t a, Py_ssize_t b) {
    Py_ssize_t n = b - a;
    if (n < 3 || n % 2 == 0) return 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, a + i);
        if (i % 2 == 0 ? !is_letter(c) : c != '.') return 0;
    }
    return 1;
}

/* prepare._is_abbreviation */
static int is_abbreviation(const Kernel *k, PyObject *text, Py_ssize_t dot, Py_ssize_t after) {
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t lo = dot - 16 > 0 ? dot - 16 : 0;
    if (lo >= dot || Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, dot - 1))) return 0;
    Py_ssize_t a = dot;
    while (a > lo && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, a - 1))) a--;
    while (a < dot && in_str(k->openers, PyUnicode_READ(kind, data, a))) a++;
    Py_ssize_t n = dot - a;
    if (n == 1) {
        Py_UCS4 c = PyUnicode_READ(kind, data, a);
        if (Py_UNICODE_ISUPPER(c) && c != 'I') return 1;
    }
    PyObject *word = PyUnicode_Substring(text, a, dot);
    if (!word) return -1;
    PyObject *lowered = PyObject_CallMethodNoArgs(word, k->lower);
    Py_DECREF(word);
    if (!lowered) return -1;
    int found = PySet_Contains(k->abbreviations, lowered);
    if (found == 0 && Py_UNICODE_ISDIGIT(PyUnicode_READ(kind, data, after)))
        found = PySet_Contains(k->number_abbreviations, lowered);
    Py_DECREF(lowered);
    if (found != 0) return found;
    for (Py_ssize_t i = a; i < dot; i++)
        if (PyUnicode_READ(kind, data, i) == '.') return dotted(data, kind, a, dot);
    return 0;
}

/* prepare._append: the piece [start, end) stripped of whitespace, when anything is left */
static int append_span(PyObject *spans, const void *data, int kind, Py_ssize_t start, Py_ssize_t end) {
    while (start < end && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, start))) start++;
    while (end > start && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end - 1))) end--;
    if (start == end) return 0;
    PyObject *span = Py_BuildValue("(nn)", start, end);
    if (!span) return -1;
    int err = PyList_Append(spans, span);
    Py_DECREF(span);
    return err;
}

/* prepare.split_sentences: candidate boundaries as its _BOUNDARY regex finds them (a run of terminal
 * punctuation, closers and whitespace, or a line break and the whitespace after it), decided by its rules. */
static PyObject *split(const Kernel *k, PyObject *text) {
    Py_ssize_t size = PyUnicode_GET_LENGTH(text), start = 0, i = 0;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    PyObject *spans = PyList_New(0);
    if (!spans) return NULL;
    while (i < size) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!is_term(c) && c != '\n') { i++; continue; }
        Py_ssize_t m_start = i, term_end, close_end, after, newlines = 0;
        int breaks = !is_term(c);
        if (breaks) {
            i++;
            while (i < size && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) {
                newlines += PyUnicode_READ(kind, data, i) == '\n';
                i++;
            }
            newlines += 1;
            term_end = close_end = m_start;
        } else {
            while (i < size && is_term(PyUnicode_READ(kind, data, i))) i++;
            term_end = i;
            while (i < size && in_str(k->closers, PyUnicode_READ(kind, data, i))) i++;
            close_end = i;
            while (i < size && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) {
                newlines += PyUnicode_READ(kind, data, i) == '\n';
                i++;
            }
        }
        after = i;
        if (after == size) break;
        Py_UCS4 next = PyUnicode_READ(kind, data, after);
        int starts = in_str(k->starts, next) || Py_UNICODE_ISALNUM(next);
        Py_ssize_t end;
        if (breaks) {
            if (newlines < 2 && (!starts || Py_UNICODE_ISLOWER(next))) continue;
            end = m_start;
        } else {
            Py_ssize_t gap = after - close_end;
            if (!gap) continue;
            if (newlines < 2) {
                if (!starts) continue;
                int ellipsis = 0;
                for (Py_ssize_t j = m_start; j < term_end; j++) {
                    Py_UCS4 t = PyUnicode_READ(kind, data, j);
                    if (t == 0x2026 || (t == '.' && j + 1 < term_end && PyUnicode_READ(kind, data, j + 1) == '.'))
                        ellipsis = 1;
                }
                if (ellipsis) {
                    if (Py_UNICODE_ISLOWER(next)) continue;
                } else if (term_end - m_start == 1 && c == '.' && close_end == term_end && newlines == 0) {
                    int abbreviation = is_abbreviation(k, text, m_start, after);
                    if (abbreviation < 0) { Py_DECREF(spans); return NULL; }
                    if (abbreviation) continue;
                }
            }
            end = close_end;
        }
        if (append_span(spans, data, kind, start, end) < 0) { Py_DECREF(spans); return NULL; }
        start = after;
    }
    if (append_span(spans, data, kind, start, size) < 0) { Py_DECREF(spans); return NULL; }
    return spans;
}

static PyObject *kernel_split(Kernel *k, PyObject *args) {
    PyObject *text;
    if (!PyArg_ParseTuple(args, "U", &text)) return NULL;
    return split(k, text);
}

/* sentences(text, typography) -> (spans, each, whole): split_sentences, then score */
static PyObject *kernel_sentences(Kernel *k, PyObject *args) {
    PyObject *text;
    int typography;
    if (!PyArg_ParseTuple(args, "Up", &text, &typography)) return NULL;
    PyObject *spans = split(k, text);
    if (!spans) return NULL;
    PyObject *scored = score(k, text, spans, typography);
    if (!scored) { Py_DECREF(spans); return NULL; }
    PyObject *out = Py_BuildValue("(NOO)", spans, PyTuple_GET_ITEM(scored, 0), PyTuple_GET_ITEM(scored, 1));
    Py_DECREF(scored);
    return out;
}

static PyObject *module_round(PyObject *self, PyObject *args) {
    double x, r;
    int ndigits;
    (void)self;
    if (!PyArg_ParseTuple(args, "di", &x, &ndigits)) return NULL;
    if (ndigits != 3 && ndigits != 4) {
        PyErr_SetString(PyExc_ValueError, "ndigits must be 3 or 4");
        return NULL;
    }
    if (py_round(x, ndigits, &r) < 0) return NULL;
    return PyFloat_FromDouble(r);
}

static PyMethodDef module_methods[] = {
    {"round", module_round, METH_VARARGS, "round(x, ndigits): float.__round__ for ndigits 3 or 4, as scores use it"},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef kernel_methods[] = {
    {"score", (PyCFunction)kernel_score, METH_VARARGS,
     "score(text, spans, typography) -> (each, whole): (neg, neu, pos, compound) of every prepared span of text "
     "and of all of them joined by whitespace"},
    {"split", (PyCFunction)kernel_split, METH_VARARGS, "split(text) -> spans: prepare.split_sentences"},
    {"sentences", (PyCFunction)kernel_sentences, METH_VARARGS,
     "sentences(text, typography) -> (spans, each, whole): split(text), then score(text, spans, typography)"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject KernelType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "discourse.sentiment._vader.Kernel",
    .tp_basicsize = sizeof(Kernel),
    .tp_dealloc = (destructor)kernel_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The VADER rules over tables given from Python: Kernel(lexicon, boosters, negate, special, phrases, "
              "emoji, typography, c_incr, n_scalar)",
    .tp_methods = kernel_methods,
    .tp_new = kernel_new,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_vader", "The VADER rules of discourse.sentiment.engine, in C.", -1, module_methods,
};

PyMODINIT_FUNC PyInit__vader(void) {
    if (PyType_Ready(&KernelType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&KernelType);
    if (PyModule_AddObject(m, "Kernel", (PyObject *)&KernelType) < 0) {
        Py_DECREF(&KernelType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
