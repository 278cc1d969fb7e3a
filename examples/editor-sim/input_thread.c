/* input_thread.c - the typist. Its schedule comes only from the seed:
 *
 *   typing   gaps of (1 / key_rate) x U(0.5, 1.5); inserts of words drawn
 *            from a small vocabulary, spaces, newlines; 15 % moves, 5 % undo
 *   repeat   about 0.3 times per second of typing (probability 0.3 /
 *            key_rate per key) a key-repeat burst starts: 5-30 keys 33.3 ms
 *            apart (30 Hz), an arrow held (60 %), a character (25 %) or undo
 *   pause    about once per second of typing (probability 1 / key_rate
 *            per key), 0.3-2.5 s of thought: the blink, diagnostics and
 *            (in the longer pauses) autosave timers fire then
 *   reflow   1 key in 200 also triggers the pathological 30 ms reflow
 *   highlight each key carries its re-highlight cost, log-uniform 0.1-5 ms
 *
 * Deadlines are absolute (clock_nanosleep TIMER_ABSTIME on CLOCK_MONOTONIC),
 * so a late wake-up does not shift the rest of the schedule. */
#include "input_thread.h"

#include <errno.h>
#include <time.h>

#include "buffer.h"
#include "editor.h"
#include "keys.h"
#include "prng.h"
#include "spin.h"

static const char *const words[] = {
    "let", "fn", "return", "if", "else", "while", "for", "match", "self",
    "buffer", "cursor", "render", "x", "y", "count", "index", "value",
    "42", "0", "1", "=", "+", "(", ")", "{", "}", ";", "->", "==", "&&"};

typedef struct typist {
    prng_t rng;
    const char *word;  /* rest of the word being typed */
    int words_on_line;
    int burst_left;    /* keys left in a key-repeat burst */
    uintptr_t burst_key;
} typist_t;

static unsigned hl_cost_us(typist_t *t)
{
    return (unsigned)prng_logrange(&t->rng, 100.0, 5000.0);
}

/* The next key and the gap before the one after it (ns). */
static uintptr_t next_key(typist_t *t, double key_rate, uint64_t *gap,
                          input_t *in)
{
    int reflow = prng_below(&t->rng, 200) == 0;
    unsigned hl = hl_cost_us(t);
    if (t->burst_left > 0) {
        t->burst_left--;
        *gap = 33333333ULL;
        uintptr_t k = t->burst_key;
        return KEY_PACK(KEY_KIND(k), KEY_PAYLOAD(k), reflow, hl);
    }
    *gap = (uint64_t)(1e9 / key_rate * prng_range(&t->rng, 0.5, 1.5));
    if (prng_unit(&t->rng) < 1.0 / key_rate) {
        in->pauses++;
        *gap += (uint64_t)(prng_range(&t->rng, 0.3, 2.5) * 1e9);
    }
    if (prng_unit(&t->rng) < 0.3 / key_rate) {
        in->bursts++;
        t->burst_left = 5 + (int)prng_below(&t->rng, 26);
        unsigned r = (unsigned)prng_below(&t->rng, 100);
        if (r < 60)
            t->burst_key = KEY_PACK(KEY_MOVE, prng_below(&t->rng, 4), 0, 0);
        else if (r < 85)
            t->burst_key = KEY_PACK(KEY_INSERT, 'a' + prng_below(&t->rng, 26),
                                    0, 0);
        else
            t->burst_key = KEY_PACK(KEY_UNDO, 0, 0, 0);
        *gap = 33333333ULL;
        return KEY_PACK(KEY_KIND(t->burst_key), KEY_PAYLOAD(t->burst_key),
                        reflow, hl);
    }
    unsigned r = (unsigned)prng_below(&t->rng, 100);
    if (r < 15)
        return KEY_PACK(KEY_MOVE, prng_below(&t->rng, MOVE__COUNT), reflow, hl);
    if (r < 20)
        return KEY_PACK(KEY_UNDO, 0, reflow, hl);
    char ch;
    if (t->word && *t->word) {
        ch = *t->word++;
    } else if (t->word) {
        t->word = NULL;
        if (++t->words_on_line >= 4 + (int)prng_below(&t->rng, 8)) {
            t->words_on_line = 0;
            ch = '\n';
        } else {
            ch = ' ';
        }
    } else {
        t->word = words[prng_below(&t->rng, sizeof words / sizeof words[0])];
        ch = *t->word++;
    }
    return KEY_PACK(KEY_INSERT, (unsigned char)ch, reflow, hl);
}

static void sleep_until(uint64_t deadline, input_t *in)
{
    if (ed_now_ns() > deadline) {
        in->late++;
        return;
    }
    struct timespec ts = {(time_t)(deadline / 1000000000ULL),
                          (long)(deadline % 1000000000ULL)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
}

static void *input_main(void *arg)
{
    input_t *in = arg;
    typist_t t = {0};
    prng_seed(&t.rng, in->seed, 1);
    uint64_t start = ed_now_ns();
    uint64_t end = start + (uint64_t)(in->duration_s * 1e9);
    uint64_t at = start + 100000000ULL; /* first key after 100 ms */
    while (at < end) {
        uint64_t gap;
        uintptr_t k = next_key(&t, in->key_rate, &gap, in);
        sleep_until(at, in);
        rtk_task_desc_t d;
        rtk_task_desc_init(&d, key_task, (void *)k);
        d.name = key_task_name(KEY_KIND(k));
        d.priority = ED_KEY_PRIORITY;
        if (rtk_command_send(in->rt, RTK_CMD_SCHEDULE_TASK, &d, NULL) == RTK_OK) {
            in->sent[KEY_KIND(k)]++;
            in->reflows += (uint64_t)KEY_REFLOW(k);
        } else {
            in->refused++;
        }
        at += gap;
    }
    sleep_until(end, in);
    /* The shutdown must get through: retry while the queue is full. */
    for (int i = 0; i < 10000; i++) {
        if (rtk_command_send(in->rt, RTK_CMD_SHUTDOWN, NULL, NULL) == RTK_OK) {
            in->shutdown_sent = 1;
            break;
        }
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    return NULL;
}

int input_start(input_t *in)
{
    return pthread_create(&in->thread, NULL, input_main, in);
}

void input_join(input_t *in)
{
    pthread_join(in->thread, NULL);
}
