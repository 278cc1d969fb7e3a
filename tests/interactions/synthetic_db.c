/* synthetic_db.c - rt-trace databases with known interactions, written row
 * by row with SQL (see synthetic_db.h).
 *
 * synth_known() writes two processes. Times in ns; "ms" below = 1e6 ns.
 *
 * proc 1
 *  K1 command#1 (sent 1.0, handled 1.5)
 *     task#2 key_insert (queued 1.5, started 2.0, finished 3.0)
 *       render_request#3 (2.5)                     <- first request
 *       task#4 highlight (queued 2.6, 3.1..4.1) -> render_request#5 (4.0)
 *       timer#6 diagnostics (armed 2.7)
 *         task#8 diagnostics fire (302.8..302.9)
 *           event#9 async (310 queued, 311..311.5) -> render_request#11
 *       command#61 (cause 2, not a root) -> task#62 nested (4.2..4.3)
 *     render#7 frame 1 (5.0..6.0)
 *     latency 5.0 = queue 1.0 + run 1.0 + frame wait 2.0 + render 1.0
 *     items 11; longest other task: task#4 highlight 1.0
 *  K2 command#20 (sent 10.0, handled 10.2)
 *     task#21 key_move (10.2 queued, 10.5..10.7)
 *       task#22 apply_move (10.7 queued, 11.0..11.5) -> render_request#23
 *       task#24 reflow (10.7 queued, 11.5..26.5)
 *     render#25 frame 2 (27.0..30.0)
 *     latency 20.0 = 0.5 + 1.0 (10.5 -> 11.5, end of task#22) + 15.5 + 3.0
 *     items 5; longest other task: task#24 reflow 15.0
 *  K3 command#30 (sent 40.0, handled 40.1)
 *     task#31 key_undo (40.1 queued, 41.0..42.0)
 *       timer#32 blink_once (armed 41.5)
 *         task#33 fire, cause 0, source 1, timer_id 32 (45.0..46.0)
 *           render_request#34 (45.5)
 *     render#35 frame 3 (begin 49.0, no end: the app took the flag)
 *     latency 9.0 = 1.0 + 5.0 (41 -> 46) + 3.0 + 0; items 5
 *  K4 command#40 -> task#41 key_move, no request: no render
 *  K5 command#50 -> task#51 -> render_request#52 (60.15), no render after
 *  not roots: command#60 shutdown (cause 0, cmd 0); timer#70 cursor_blink
 *     (cause 0) -> task#71 -> render_request#72 (27.65)
 * proc 2 (same ids, other times: must not mix with proc 1)
 *  command#1 (sent 1.0, handled 1.1) -> task#2 key_insert (1.1, 1.2..1.3)
 *     -> render_request#3 (1.25); render#4 frame 1 (3.0..3.1)
 *     latency 2.1 = 0.2 + 0.1 + 1.7 + 0.1; items 3
 *
 * Keystrokes 6, rendered 4 (latencies 2.1, 5, 9, 20), no render 2.
 */
#include "synthetic_db.h"

#include <stdio.h>
#include <stdlib.h>

int synth_schema(sqlite3 *db, const char *schema_path)
{
    FILE *f = fopen(schema_path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", schema_path);
        return -1;
    }
    char *sql = malloc(1 << 20);
    size_t n = sql ? fread(sql, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (!sql)
        return -1;
    sql[n] = 0;
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    free(sql);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "schema: %s\n", err ? err : "?");
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

static int exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "sql: %s\n", err ? err : "?");
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

#define MS(x) ((long long)((x) * 1000000.0 + 0.5))

int synth_known(sqlite3 *db)
{
    static const char sql[] =
        "BEGIN;"
        "INSERT INTO traces VALUES (1,'u-1','/t',NULL,'editor',11,'per-uid',"
        "  1000000,400000000,0,'now');"
        "INSERT INTO procs VALUES (1,1,11,'editor'),(2,1,22,'editor');"
        /* proc 1 commands: proc,id,cause,cmd,task_id,priority,sent,handled */
        "INSERT INTO commands(proc,id,cause,cmd,task_id,priority,sent_ts,"
        "  handled_ts,result) VALUES"
        " (1,1,0,2,2,100,1000000,1500000,0),"
        " (1,20,0,2,21,100,10000000,10200000,0),"
        " (1,30,0,2,31,100,40000000,40100000,0),"
        " (1,40,0,2,41,100,50000000,50100000,0),"
        " (1,50,0,2,51,100,60000000,60050000,0),"
        " (1,60,0,0,0,0,70000000,70100000,0),"
        " (1,61,2,2,62,100,2900000,3100000,0),"
        " (2,1,0,2,2,100,1000000,1100000,0);"
        /* tasks: proc,id,cause,priority,name,source,timer_id,q,s,f,outcome */
        "INSERT INTO tasks(proc,id,cause,priority,name,source,timer_id,"
        "  queued_ts,started_ts,finished_ts,outcome,status) VALUES"
        " (1,2,1,100,'key_insert',2,0,1500000,2000000,3000000,0,0),"
        " (1,4,2,200,'highlight',0,0,2600000,3100000,4100000,0,0),"
        " (1,8,6,100,'diagnostics',1,6,302700000,302800000,302900000,0,0),"
        " (1,62,61,100,'nested',2,0,3200000,4200000,4300000,0,0),"
        " (1,21,20,100,'key_move',2,0,10200000,10500000,10700000,0,0),"
        " (1,22,21,100,'apply_move',0,0,10700000,11000000,11500000,0,0),"
        " (1,24,21,100,'reflow',0,0,10700000,11500000,26500000,0,0),"
        " (1,31,30,100,'key_undo',2,0,40100000,41000000,42000000,0,0),"
        " (1,33,0,100,'fire',1,32,45000000,45000000,46000000,0,0),"
        " (1,41,40,100,'key_move',2,0,50100000,50200000,50300000,0,0),"
        " (1,51,50,100,'key_insert',2,0,60050000,60100000,60200000,0,0),"
        " (1,71,70,100,'cursor_blink',1,70,27500000,27600000,27700000,0,0),"
        " (2,2,1,100,'key_insert',2,0,1100000,1200000,1300000,0,0);"
        "INSERT INTO dispatches(proc,id,cause,priority,type,path,queued_ts,"
        "  begin_ts,end_ts,result,handlers) VALUES"
        " (1,9,8,0,7,1,310000000,311000000,311500000,1,1);"
        "INSERT INTO timers(proc,id,cause,priority,name,interval_ns,armed_ts,"
        "  deadline_ns) VALUES"
        " (1,6,2,100,'diagnostics',0,2700000,302700000),"
        " (1,32,31,100,'blink_once',0,41500000,45000000),"
        " (1,70,0,100,'cursor_blink',530000000,500000,27500000);"
        "INSERT INTO render_requests(proc,id,cause,ts,coalesced) VALUES"
        " (1,3,2,2500000,0),(1,5,4,4000000,1),(1,11,9,311400000,0),"
        " (1,23,22,11400000,0),(1,34,33,45500000,0),(1,52,51,60150000,0),"
        " (1,72,71,27650000,0),(2,3,2,1250000,0);"
        "INSERT INTO renders(proc,id,frame,begin_ts,end_ts,requests) VALUES"
        " (1,7,1,5000000,6000000,2),(1,25,2,27000000,30000000,1),"
        " (1,35,3,49000000,NULL,1),(2,4,1,3000000,3100000,1);"
        "COMMIT;";
    return exec(db, sql);
}

/* Lost halves (flags as in schema.sql), proc 3 "lossy":
 *  command#1: sent lost -> counted in no_render, though its chain rendered
 *  command#10 (5.0, handled 5.2) -> task#11 key_move, queued and started
 *     lost (finished 5.5) -> render_request#12 (5.4); render#13 (6.0..6.5)
 *     latency 1.5 = queue 0.2 (falls back to handled) + run 0.3 + 0.5 + 0.5
 *     frame wait 5.5..6.0 all frame pacing (frames 4.0 apart at least): the
 *     10 us task#14 echo (cause 0) that ran meanwhile is not named
 *  command#20 (10.0) -> task#21 (10.2..10.3) -> render_request#22 (10.25);
 *     render#23 lost its begin (skipped), render#24 (12.0..12.1)
 *     latency 2.1 = 0.2 + 0.1 + 1.7 + 0.1
 *  command#30 (20.0, handled 20.1, task_id 31) -> task#31 whose cause (999)
 *     is not in the trace: linked through the command's task_id;
 *     (20.2..20.6) -> render_request#32 (20.5); render#33 (21.0..21.2)
 *     latency 1.2 = 0.2 + 0.4 + 0.4 + 0.2 */
int synth_lossy(sqlite3 *db)
{
    static const char sql[] =
        "BEGIN;"
        "INSERT INTO procs VALUES (3,1,33,'lossy');"
        "INSERT INTO commands(proc,id,cause,cmd,task_id,priority,sent_ts,"
        "  handled_ts,result,flags) VALUES"
        " (3,1,0,2,2,100,NULL,1000000,0,1),"
        " (3,10,0,2,11,100,5000000,5200000,0,0),"
        " (3,20,0,2,21,100,10000000,10100000,0,0),"
        " (3,30,0,2,31,100,20000000,20100000,0,0);"
        "INSERT INTO tasks(proc,id,cause,priority,name,source,timer_id,"
        "  queued_ts,started_ts,finished_ts,outcome,status,flags) VALUES"
        " (3,2,1,100,'key_insert',2,0,1000000,1100000,1200000,0,0,0),"
        " (3,11,10,100,'key_move',2,0,NULL,NULL,5500000,0,0,3),"
        " (3,21,20,100,'key_insert',2,0,10100000,10200000,10300000,0,0,0),"
        " (3,31,999,100,'key_undo',2,0,20100000,20200000,20600000,0,0,0),"
        " (3,14,0,100,'echo',0,0,5600000,5600000,5610000,0,0,0);"
        "INSERT INTO render_requests(proc,id,cause,ts,coalesced) VALUES"
        " (3,3,2,1150000,0),(3,12,11,5400000,0),(3,22,21,10250000,0),"
        " (3,32,31,20500000,0);"
        "INSERT INTO renders(proc,id,frame,begin_ts,end_ts,requests,flags)"
        " VALUES (3,4,1,2000000,2100000,1,0),(3,13,2,6000000,6500000,1,0),"
        " (3,23,3,NULL,11000000,NULL,1),(3,24,4,12000000,12100000,1,0),"
        " (3,33,5,21000000,21200000,1,0);"
        "COMMIT;";
    return exec(db, sql);
}

int synth_bulk(sqlite3 *db, int n)
{
    char sql[4096];
    snprintf(
        sql, sizeof sql,
        "BEGIN;"
        "CREATE TEMP TABLE k AS WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL "
        "  SELECT i + 1 FROM r WHERE i < %d - 1) "
        "  SELECT i, i * 10 + 1 AS b, i * 100000000 AS t FROM r;"
        "INSERT INTO commands(proc,id,cause,cmd,task_id,priority,sent_ts,"
        "  handled_ts,result) SELECT 1,b,0,2,b+1,100,t,t+100000,0 FROM k;"
        "INSERT INTO tasks(proc,id,cause,priority,name,source,timer_id,"
        "  queued_ts,started_ts,finished_ts,outcome,status)"
        "  SELECT 1,b+1,b,100,'key_insert',2,0,t+100000,t+500000,t+1000000,0,0"
        "  FROM k UNION ALL"
        "  SELECT 1,b+3,b+1,200,'highlight',0,0,t+950000,t+1000000,t+1500000,0,0"
        "  FROM k;"
        "INSERT INTO render_requests(proc,id,cause,ts,coalesced)"
        "  SELECT 1,b+2,b+1,t+900000,0 FROM k UNION ALL"
        "  SELECT 1,b+4,b+3,t+1400000,1 FROM k;"
        "INSERT INTO timers(proc,id,cause,priority,name,interval_ns,armed_ts,"
        "  deadline_ns) SELECT 1,b+5,b+1,100,'diagnostics',0,t+800000,"
        "  t+300800000 FROM k;"
        "INSERT INTO renders(proc,id,frame,begin_ts,end_ts,requests)"
        "  SELECT 1,b+6,i,t+1000000+(i%%10)*1000000,t+2000000+(i%%10)*1000000,2"
        "  FROM k;"
        "DROP TABLE k;"
        "COMMIT;",
        n);
    return exec(db, sql);
}

/* synth_inputs(): one process; times in ms.
 *
 *  tick#1 (0..130) runs task#90 stall (cause 0, 5..125)
 *  I1 input#100 key (input 20.0, marked 20.05), typed during the stall
 *     command#101 (cause 100, sent 20.06, handled 125.5, task 102)
 *     task#102 input (cause 100, queued 125.5, 126..127)
 *       render_request#103 (126.5)
 *     render#104 frame 1 (130..131)
 *     latency 111 = input delay 106 + processing 1 + presentation 4 (3 + 1)
 *     blocked by task#90 stall: tick#1 busy for 106 (20 -> 126, the
 *     handler's start); items 4
 *  I2 input#110 click (input 140, marked 140.01)
 *     event#111 (cause 110, queued 140.02, 141..141.5) -> render_request#112
 *     (141.4); render#113 frame 2 (145..146); tick#2 (139..141.6)
 *     latency 6 = 1 + 0.5 + 4.5 (3.5 + 1); not blocked; items 3
 *  K3 command#120 (cause 0, sent 150, handled 160): the old kind of root
 *     task#121 key_old (160 queued, 161..162) -> render_request#122 (161.5)
 *     render#123 frame 3 (165..166); tick#3 (148..160.5) with no task
 *     latency 16 = 11 + 1 + 4 (3 + 1); blocked by tick#3 for 10.5
 *     (150 -> 160.5); items 3
 */
int synth_inputs(sqlite3 *db)
{
    static const char sql[] =
        "BEGIN;"
        "INSERT INTO traces VALUES (1,'u-1','/t',NULL,'editor',11,'per-uid',"
        "  0,400000000,0,'now');"
        "INSERT INTO procs VALUES (1,1,11,'editor');"
        "INSERT INTO ticks(proc,tick,begin_ts,end_ts,now_ns,flags) VALUES"
        " (1,1,0,130000000,0,0),(1,2,139000000,141600000,0,0),"
        " (1,3,148000000,160500000,0,0);"
        "INSERT INTO inputs(proc,id,cause,name,input_ts,ts,input_ns) VALUES"
        " (1,100,0,'key',20000000,20050000,7),"
        " (1,110,0,'click',140000000,140010000,8);"
        "INSERT INTO commands(proc,id,cause,cmd,task_id,priority,sent_ts,"
        "  handled_ts,result) VALUES"
        " (1,101,100,2,102,50,20060000,125500000,0),"
        " (1,120,0,2,121,100,150000000,160000000,0);"
        "INSERT INTO tasks(proc,id,cause,priority,name,source,timer_id,"
        "  queued_ts,started_ts,finished_ts,outcome,status) VALUES"
        " (1,90,0,100,'stall',0,0,4000000,5000000,125000000,0,0),"
        " (1,102,100,50,'input',2,0,125500000,126000000,127000000,0,0),"
        " (1,121,120,100,'key_old',2,0,160000000,161000000,162000000,0,0);"
        "INSERT INTO dispatches(proc,id,cause,priority,type,path,queued_ts,"
        "  begin_ts,end_ts,result,handlers) VALUES"
        " (1,111,110,0,3,0,140020000,141000000,141500000,1,1);"
        "INSERT INTO render_requests(proc,id,cause,ts,coalesced) VALUES"
        " (1,103,102,126500000,0),(1,112,111,141400000,0),"
        " (1,122,121,161500000,0);"
        "INSERT INTO renders(proc,id,frame,begin_ts,end_ts,requests) VALUES"
        " (1,104,1,130000000,131000000,1),(1,113,2,145000000,146000000,1),"
        " (1,123,3,165000000,166000000,1);"
        "COMMIT;";
    return exec(db, sql);
}
