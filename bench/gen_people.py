#!/usr/bin/env python3
"""Writes a population ledger (CSV, UTF-8) of N people for the import benchmark.

usage: gen_people.py DB N OUT.csv

The micro-grids come from DB (a demo county); ID numbers are valid GB 11643
numbers of 沈丘 (411624) with the check digit computed by the standard's rule,
unique by construction; households of 1-6 people share a 户号. Deterministic.
"""
import random
import sqlite3
import sys

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强文红梅玉兰新春海燕云飞德胜玉珍凤英宝山国庆"


def id_number(serial, year, month, day, male):
    # serial 0..999 per birth date; the gender digit is the last of the three.
    seq = serial * 2 + (1 if male else 0)
    body = "411624%04d%02d%02d%03d" % (year, month, day, seq % 1000)
    s = sum(int(c) * w for c, w in zip(body, W))
    return body + CHECK[s % 11]


def main():
    db, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    grids = [r[0] for r in sqlite3.connect(db).execute(
        "SELECT code FROM area WHERE level = 'microgrid' AND retired_ms IS NULL ORDER BY code")]
    rnd = random.Random(42)
    used = {}
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("姓名,性别,公民身份号码,民族,联系电话,人口类型,现住址,所属网格,户号,与户主关系\n")
        made, hh = 0, 0
        while made < n:
            hh += 1
            grid = grids[rnd.randrange(len(grids))]
            size = min(n - made, rnd.choice([1, 2, 2, 3, 3, 3, 4, 4, 5, 6]))
            address = "沈丘县%s号" % grid[-6:]
            for k in range(size):
                while True:
                    year, month, day = rnd.randint(1940, 2020), rnd.randint(1, 12), rnd.randint(1, 28)
                    male = rnd.random() < 0.5
                    key = (year, month, day, male)
                    serial = used.get(key, 0)
                    if serial < 500:
                        used[key] = serial + 1
                        break
                name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice([1, 2])))
                phone = "13%d%08d" % (rnd.randrange(10), rnd.randrange(10 ** 8))
                kind = "流动" if rnd.random() < 0.08 else "户籍"
                relation = "户主" if k == 0 else rnd.choice(["配偶", "子", "女", "父亲", "母亲"])
                f.write("%s,%s,%s,汉族,%s,%s,%s,%s,HH%07d,%s\n" % (
                    name, "男" if male else "女", id_number(serial, year, month, day, male),
                    phone, kind, address, grid, hh, relation))
                made += 1


if __name__ == "__main__":
    main()
