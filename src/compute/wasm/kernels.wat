;; Float32 kernels of the compute engine, 128-bit SIMD: a dense GEMM, products with a sparse (CSR) factor, Adam.
;; Source of the module embedded in ../wasm_binary.ts (loaded by ../wasm.ts); rebuild with `node src/compute/wasm/build.mjs`.
;; All pointers are byte offsets into the imported shared memory (one instance per thread, same memory); arrays are row-major, f32 unless named idx/ptr (i32).
;; A CSR structure over B rows: ptr (B+1 entries), idx (column of each non-zero), val (its value); the kernels take
;; the starts (ptr) and ends (pend) of the rows separately: pend = ptr + 4 bytes for a compact CSR, or the ends of
;; rows kept in fixed slots (row r in [r·cap, r·cap + count_r): a kernel writes each row's non-zeros on its own).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; y[0..n) += a·x[0..n)
  (func $axpy (param $n i32) (param $a f32) (param $x i32) (param $y i32)
    (local $av v128) (local $end i32) (local $end4 i32)
    (local.set $av (f32x4.splat (local.get $a)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -16)) (i32.const 2))))
    (block $done16
      (loop $l16
        (br_if $done16 (i32.ge_u (local.get $x) (local.get $end4)))
        (v128.store offset=0 (local.get $y) (f32x4.add (v128.load offset=0 (local.get $y)) (f32x4.mul (local.get $av) (v128.load offset=0 (local.get $x)))))
        (v128.store offset=16 (local.get $y) (f32x4.add (v128.load offset=16 (local.get $y)) (f32x4.mul (local.get $av) (v128.load offset=16 (local.get $x)))))
        (v128.store offset=32 (local.get $y) (f32x4.add (v128.load offset=32 (local.get $y)) (f32x4.mul (local.get $av) (v128.load offset=32 (local.get $x)))))
        (v128.store offset=48 (local.get $y) (f32x4.add (v128.load offset=48 (local.get $y)) (f32x4.mul (local.get $av) (v128.load offset=48 (local.get $x)))))
        (local.set $x (i32.add (local.get $x) (i32.const 64)))
        (local.set $y (i32.add (local.get $y) (i32.const 64)))
        (br $l16)))
    (block $done
      (loop $l1
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (f32.store (local.get $y) (f32.add (f32.load (local.get $y)) (f32.mul (local.get $a) (f32.load (local.get $x)))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (br $l1))))

  ;; ⟨x[0..n), y[0..n)⟩
  (func $dot (param $n i32) (param $x i32) (param $y i32) (result f32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $end i32) (local $end4 i32) (local $s f32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -16)) (i32.const 2))))
    (block $done16
      (loop $l16
        (br_if $done16 (i32.ge_u (local.get $x) (local.get $end4)))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load offset=0 (local.get $x)) (v128.load offset=0 (local.get $y)))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (v128.load offset=16 (local.get $x)) (v128.load offset=16 (local.get $y)))))
        (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (v128.load offset=32 (local.get $x)) (v128.load offset=32 (local.get $y)))))
        (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (v128.load offset=48 (local.get $x)) (v128.load offset=48 (local.get $y)))))
        (local.set $x (i32.add (local.get $x) (i32.const 64)))
        (local.set $y (i32.add (local.get $y) (i32.const 64)))
        (br $l16)))
    (local.set $s0 (f32x4.add (f32x4.add (local.get $s0) (local.get $s1)) (f32x4.add (local.get $s2) (local.get $s3))))
    (local.set $s (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0)))
      (f32.add (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0)))))
    (block $done
      (loop $l1
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $x)) (f32.load (local.get $y)))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (br $l1)))
    (local.get $s))


  ;; y[0..n) += a0·x0 + a1·x1 + a2·x2 + a3·x3 (one pass over y for four rows)
  (func $axpy4 (param $n i32) (param $a0 f32) (param $a1 f32) (param $a2 f32) (param $a3 f32)
               (param $x0 i32) (param $x1 i32) (param $x2 i32) (param $x3 i32) (param $y i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $j i32) (local $end4 i32) (local $end i32)
    (local.set $v0 (f32x4.splat (local.get $a0))) (local.set $v1 (f32x4.splat (local.get $a1)))
    (local.set $v2 (f32x4.splat (local.get $a2))) (local.set $v3 (f32x4.splat (local.get $a3)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end4 (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done4
      (loop $l4
        (br_if $done4 (i32.ge_u (local.get $j) (local.get $end4)))
        (v128.store (i32.add (local.get $y) (local.get $j))
          (f32x4.add
            (f32x4.add (v128.load (i32.add (local.get $y) (local.get $j)))
              (f32x4.add (f32x4.mul (local.get $v0) (v128.load (i32.add (local.get $x0) (local.get $j))))
                         (f32x4.mul (local.get $v1) (v128.load (i32.add (local.get $x1) (local.get $j))))))
            (f32x4.add (f32x4.mul (local.get $v2) (v128.load (i32.add (local.get $x2) (local.get $j))))
                       (f32x4.mul (local.get $v3) (v128.load (i32.add (local.get $x3) (local.get $j)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $l4)))
    (block $done
      (loop $l1
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (f32.store (i32.add (local.get $y) (local.get $j))
          (f32.add
            (f32.add (f32.load (i32.add (local.get $y) (local.get $j)))
              (f32.add (f32.mul (local.get $a0) (f32.load (i32.add (local.get $x0) (local.get $j))))
                       (f32.mul (local.get $a1) (f32.load (i32.add (local.get $x1) (local.get $j))))))
            (f32.add (f32.mul (local.get $a2) (f32.load (i32.add (local.get $x2) (local.get $j))))
                     (f32.mul (local.get $a3) (f32.load (i32.add (local.get $x3) (local.get $j)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $l1))))


  ;; out[0..4) = ⟨y, x0⟩, ⟨y, x1⟩, ⟨y, x2⟩, ⟨y, x3⟩ over n entries (one pass over y for four rows)
  (func $dot4 (param $n i32) (param $y i32) (param $x0 i32) (param $x1 i32) (param $x2 i32) (param $x3 i32) (param $out i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $yv v128) (local $j i32) (local $end4 i32) (local $end i32)
    (local $t0 f32) (local $t1 f32) (local $t2 f32) (local $t3 f32) (local $yy f32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end4 (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done4
      (loop $l4
        (br_if $done4 (i32.ge_u (local.get $j) (local.get $end4)))
        (local.set $yv (v128.load (i32.add (local.get $y) (local.get $j))))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $yv) (v128.load (i32.add (local.get $x0) (local.get $j))))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $yv) (v128.load (i32.add (local.get $x1) (local.get $j))))))
        (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $yv) (v128.load (i32.add (local.get $x2) (local.get $j))))))
        (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $yv) (v128.load (i32.add (local.get $x3) (local.get $j))))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $l4)))
    (block $done
      (loop $l1
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $yy (f32.load (i32.add (local.get $y) (local.get $j))))
        (local.set $t0 (f32.add (local.get $t0) (f32.mul (local.get $yy) (f32.load (i32.add (local.get $x0) (local.get $j))))))
        (local.set $t1 (f32.add (local.get $t1) (f32.mul (local.get $yy) (f32.load (i32.add (local.get $x1) (local.get $j))))))
        (local.set $t2 (f32.add (local.get $t2) (f32.mul (local.get $yy) (f32.load (i32.add (local.get $x2) (local.get $j))))))
        (local.set $t3 (f32.add (local.get $t3) (f32.mul (local.get $yy) (f32.load (i32.add (local.get $x3) (local.get $j))))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $l1)))
    (f32.store offset=0 (local.get $out) (f32.add (local.get $t0) (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0)))
      (f32.add (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0))))))
    (f32.store offset=4 (local.get $out) (f32.add (local.get $t1) (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s1)) (f32x4.extract_lane 1 (local.get $s1)))
      (f32.add (f32x4.extract_lane 2 (local.get $s1)) (f32x4.extract_lane 3 (local.get $s1))))))
    (f32.store offset=8 (local.get $out) (f32.add (local.get $t2) (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s2)) (f32x4.extract_lane 1 (local.get $s2)))
      (f32.add (f32x4.extract_lane 2 (local.get $s2)) (f32x4.extract_lane 3 (local.get $s2))))))
    (f32.store offset=12 (local.get $out) (f32.add (local.get $t3) (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s3)) (f32x4.extract_lane 1 (local.get $s3)))
      (f32.add (f32x4.extract_lane 2 (local.get $s3)) (f32x4.extract_lane 3 (local.get $s3)))))))

  ;; out_r (row r of out, R×M) += Σ_p val[p]·X_idx[p] over the non-zeros p of row r (CSR ptr/idx/val); X has rows of M.
  ;; With S in CSR this is out += S·X; with S in CSC (rows = columns of S) it is out += Sᵀ·X. Only rows [r0, R).
  (func (export "gacc") (param $ptr i32) (param $pend i32) (param $idx i32) (param $val i32) (param $X i32) (param $M i32) (param $out i32) (param $r0 i32) (param $R i32)
    (local $r i32) (local $p i32) (local $pe i32) (local $row i32) (local $q i32) (local $v i32)
    (local.set $row (i32.shl (local.get $M) (i32.const 2)))
    (local.set $r (local.get $r0))
    (local.set $out (i32.add (local.get $out) (i32.mul (local.get $r0) (local.get $row))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $r) (local.get $R)))
        (local.set $p (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $pe (i32.load (i32.add (local.get $pend) (i32.shl (local.get $r) (i32.const 2)))))
        (block $done4
          (loop $nz4
            (br_if $done4 (i32.gt_s (i32.add (local.get $p) (i32.const 4)) (local.get $pe)))
            (local.set $q (i32.add (local.get $idx) (i32.shl (local.get $p) (i32.const 2))))
            (local.set $v (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2))))
            (call $axpy4 (local.get $M)
              (f32.load offset=0 (local.get $v)) (f32.load offset=4 (local.get $v))
              (f32.load offset=8 (local.get $v)) (f32.load offset=12 (local.get $v))
              (i32.add (local.get $X) (i32.mul (i32.load offset=0 (local.get $q)) (local.get $row)))
              (i32.add (local.get $X) (i32.mul (i32.load offset=4 (local.get $q)) (local.get $row)))
              (i32.add (local.get $X) (i32.mul (i32.load offset=8 (local.get $q)) (local.get $row)))
              (i32.add (local.get $X) (i32.mul (i32.load offset=12 (local.get $q)) (local.get $row)))
              (local.get $out))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $nz4)))
        (block $rdone
          (loop $nz
            (br_if $rdone (i32.ge_s (local.get $p) (local.get $pe)))
            (call $axpy (local.get $M)
              (f32.load (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2))))
              (i32.add (local.get $X) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $p) (i32.const 2)))) (local.get $row)))
              (local.get $out))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $nz)))
        (local.set $out (i32.add (local.get $out) (local.get $row)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))


  ;; x0 += a0·y, x1 += a1·y, x2 += a2·y, x3 += a3·y over n entries (one pass over y for four rows)
  (func $scatter4 (param $n i32) (param $a0 f32) (param $a1 f32) (param $a2 f32) (param $a3 f32)
                  (param $x0 i32) (param $x1 i32) (param $x2 i32) (param $x3 i32) (param $y i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $yv v128) (local $j i32) (local $end4 i32) (local $end i32)
    (local $yy f32) (local $q i32)
    (local.set $v0 (f32x4.splat (local.get $a0))) (local.set $v1 (f32x4.splat (local.get $a1)))
    (local.set $v2 (f32x4.splat (local.get $a2))) (local.set $v3 (f32x4.splat (local.get $a3)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end4 (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done4
      (loop $l4
        (br_if $done4 (i32.ge_u (local.get $j) (local.get $end4)))
        (local.set $yv (v128.load (i32.add (local.get $y) (local.get $j))))
        (local.set $q (i32.add (local.get $x0) (local.get $j)))
        (v128.store (local.get $q) (f32x4.add (v128.load (local.get $q)) (f32x4.mul (local.get $v0) (local.get $yv))))
        (local.set $q (i32.add (local.get $x1) (local.get $j)))
        (v128.store (local.get $q) (f32x4.add (v128.load (local.get $q)) (f32x4.mul (local.get $v1) (local.get $yv))))
        (local.set $q (i32.add (local.get $x2) (local.get $j)))
        (v128.store (local.get $q) (f32x4.add (v128.load (local.get $q)) (f32x4.mul (local.get $v2) (local.get $yv))))
        (local.set $q (i32.add (local.get $x3) (local.get $j)))
        (v128.store (local.get $q) (f32x4.add (v128.load (local.get $q)) (f32x4.mul (local.get $v3) (local.get $yv))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $l4)))
    (block $done
      (loop $l1
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $yy (f32.load (i32.add (local.get $y) (local.get $j))))
        (local.set $q (i32.add (local.get $x0) (local.get $j)))
        (f32.store (local.get $q) (f32.add (f32.load (local.get $q)) (f32.mul (local.get $a0) (local.get $yy))))
        (local.set $q (i32.add (local.get $x1) (local.get $j)))
        (f32.store (local.get $q) (f32.add (f32.load (local.get $q)) (f32.mul (local.get $a1) (local.get $yy))))
        (local.set $q (i32.add (local.get $x2) (local.get $j)))
        (f32.store (local.get $q) (f32.add (f32.load (local.get $q)) (f32.mul (local.get $a2) (local.get $yy))))
        (local.set $q (i32.add (local.get $x3) (local.get $j)))
        (f32.store (local.get $q) (f32.add (f32.load (local.get $q)) (f32.mul (local.get $a3) (local.get $yy))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $l1))))

;; The first p in [lo, hi) with idx[p] ≥ v (hi if none), for ascending idx[lo, hi).
  (func $lowerBound (param $idx i32) (param $lo i32) (param $hi i32) (param $v i32) (result i32)
    (local $mid i32)
    (block $done
      (loop $search
        (br_if $done (i32.ge_s (local.get $lo) (local.get $hi)))
        (local.set $mid (i32.shr_u (i32.add (local.get $lo) (local.get $hi)) (i32.const 1)))
        (if (i32.lt_s (i32.load (i32.add (local.get $idx) (i32.shl (local.get $mid) (i32.const 2)))) (local.get $v))
          (then (local.set $lo (i32.add (local.get $mid) (i32.const 1))))
          (else (local.set $hi (local.get $mid))))
        (br $search)))
    (local.get $lo))

  ;; X_idx[p] += val[p]·Y_r for every non-zero p of row r (CSR ptr/idx/val over R rows): X += Sᵀ·Y, rows of M;
  ;; only the rows [i0, i1) of X (threads split X by rows: every row of X may receive from every row of Y). The
  ;; column indices of each CSR row must be ascending: the entries of [i0, i1) are then found by binary search.
  (func (export "scat") (param $ptr i32) (param $pend i32) (param $idx i32) (param $val i32) (param $R i32) (param $Y i32) (param $M i32) (param $X i32) (param $i0 i32) (param $i1 i32)
    (local $r i32) (local $p i32) (local $pe i32) (local $row i32) (local $q i32) (local $v i32) (local $n i32)
    (local.set $row (i32.shl (local.get $M) (i32.const 2)))
    (local.set $n (local.get $M))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $r) (local.get $R)))
        (local.set $p (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $pe (i32.load (i32.add (local.get $pend) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $p (call $lowerBound (local.get $idx) (local.get $p) (local.get $pe) (local.get $i0)))
        (local.set $pe (call $lowerBound (local.get $idx) (local.get $p) (local.get $pe) (local.get $i1)))
        (block $done4
          (loop $nz4
            (br_if $done4 (i32.gt_s (i32.add (local.get $p) (i32.const 4)) (local.get $pe)))
            (local.set $q (i32.add (local.get $idx) (i32.shl (local.get $p) (i32.const 2))))
            (local.set $v (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2))))
            (call $scatter4 (local.get $n)
              (f32.load offset=0 (local.get $v)) (f32.load offset=4 (local.get $v))
              (f32.load offset=8 (local.get $v)) (f32.load offset=12 (local.get $v))
              (i32.add (local.get $X) (i32.mul (i32.load offset=0 (local.get $q)) (local.get $row)))
              (i32.add (local.get $X) (i32.mul (i32.load offset=4 (local.get $q)) (local.get $row)))
              (i32.add (local.get $X) (i32.mul (i32.load offset=8 (local.get $q)) (local.get $row)))
              (i32.add (local.get $X) (i32.mul (i32.load offset=12 (local.get $q)) (local.get $row)))
              (local.get $Y))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $nz4)))
        (block $rdone
          (loop $nz
            (br_if $rdone (i32.ge_s (local.get $p) (local.get $pe)))
            (call $axpy (local.get $n)
              (f32.load (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2))))
              (local.get $Y)
              (i32.add (local.get $X) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $p) (i32.const 2)))) (local.get $row))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $nz)))
        (local.set $Y (i32.add (local.get $Y) (local.get $row)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  ;; val[p] = ⟨Y_b, D_idx[p]⟩ for every non-zero position p (row b ∈ [b0, B)) of the CSR structure ptr/idx; Y B×M, D N×M.
  ;; When $N ≠ 0, each row's values are also written to the dense B×N array at $dz: dz[b][idx[p]] = val[p].
  (func (export "sdots") (param $ptr i32) (param $pend i32) (param $idx i32) (param $val i32) (param $Y i32) (param $D i32) (param $M i32) (param $dz i32) (param $N i32) (param $b0 i32) (param $B i32)
    (local $b i32) (local $p i32) (local $pe i32) (local $row i32) (local $q i32) (local $drow i32)
    (local.set $row (i32.shl (local.get $M) (i32.const 2)))
    (local.set $b (local.get $b0))
    (local.set $Y (i32.add (local.get $Y) (i32.mul (local.get $b0) (local.get $row))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $b) (local.get $B)))
        (local.set $p (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $b) (i32.const 2)))))
        (local.set $pe (i32.load (i32.add (local.get $pend) (i32.shl (local.get $b) (i32.const 2)))))
        (block $done4
          (loop $nz4
            (br_if $done4 (i32.gt_s (i32.add (local.get $p) (i32.const 4)) (local.get $pe)))
            (local.set $q (i32.add (local.get $idx) (i32.shl (local.get $p) (i32.const 2))))
            (call $dot4 (local.get $M) (local.get $Y)
              (i32.add (local.get $D) (i32.mul (i32.load offset=0 (local.get $q)) (local.get $row)))
              (i32.add (local.get $D) (i32.mul (i32.load offset=4 (local.get $q)) (local.get $row)))
              (i32.add (local.get $D) (i32.mul (i32.load offset=8 (local.get $q)) (local.get $row)))
              (i32.add (local.get $D) (i32.mul (i32.load offset=12 (local.get $q)) (local.get $row)))
              (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $nz4)))
        (block $rdone
          (loop $nz
            (br_if $rdone (i32.ge_s (local.get $p) (local.get $pe)))
            (f32.store (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2)))
              (call $dot (local.get $M) (local.get $Y)
                (i32.add (local.get $D) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $p) (i32.const 2)))) (local.get $row)))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $nz)))
        (if (local.get $N) (then
          (local.set $drow (i32.add (local.get $dz) (i32.shl (i32.mul (local.get $b) (local.get $N)) (i32.const 2))))
          (local.set $p (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $b) (i32.const 2)))))
          (block $sd (loop $sc
            (br_if $sd (i32.ge_s (local.get $p) (local.get $pe)))
            (f32.store (i32.add (local.get $drow) (i32.shl (i32.load (i32.add (local.get $idx) (i32.shl (local.get $p) (i32.const 2)))) (i32.const 2)))
              (f32.load (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2)))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $sc)))))
        (local.set $Y (i32.add (local.get $Y) (local.get $row)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows))))

  ;; fma:begin — the GEMM micro-kernels: build.mjs makes their multiply-adds relaxed_madd in the FMA variant
  ;; One 4×8 tile of C = A·B: C[r][0..8) = Σ_k A[r][k]·P[k][0..8) for the 4 rows r of A starting at $A, A[r][k]
  ;; at A + r·$ar + k·$ak bytes (row-major A: ar = 4K, ak = 4; A given transposed: ar = 4, ak = 4·rows); P is a packed
  ;; panel of 8 columns of B (K×8, contiguous); C has a row stride of $ldc bytes.
  (func $tile4 (param $A i32) (param $K i32) (param $P i32) (param $C i32) (param $ldc i32) (param $ar i32) (param $ak i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $end i32)
    (local $a v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $a0 (local.get $A))
    (local.set $a1 (i32.add (local.get $a0) (local.get $ar)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $ar)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $ar)))
    (local.set $end (i32.add (local.get $a0) (i32.mul (local.get $K) (local.get $ak))))
    (block $done
      (loop $k
        (br_if $done (i32.ge_u (local.get $a0) (local.get $end)))
        (local.set $b0 (v128.load offset=0 (local.get $P)))
        (local.set $b1 (v128.load offset=16 (local.get $P)))
        (local.set $a (v128.load32_splat (local.get $a0)))
        (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
        (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
        (local.set $a (v128.load32_splat (local.get $a1)))
        (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
        (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
        (local.set $a (v128.load32_splat (local.get $a2)))
        (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
        (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
        (local.set $a (v128.load32_splat (local.get $a3)))
        (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
        (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
        (local.set $a0 (i32.add (local.get $a0) (local.get $ak)))
        (local.set $a1 (i32.add (local.get $a1) (local.get $ak)))
        (local.set $a2 (i32.add (local.get $a2) (local.get $ak)))
        (local.set $a3 (i32.add (local.get $a3) (local.get $ak)))
        (local.set $P (i32.add (local.get $P) (i32.const 32)))
        (br $k)))
    (v128.store offset=0 (local.get $C) (local.get $c00)) (v128.store offset=16 (local.get $C) (local.get $c01))
    (local.set $C (i32.add (local.get $C) (local.get $ldc)))
    (v128.store offset=0 (local.get $C) (local.get $c10)) (v128.store offset=16 (local.get $C) (local.get $c11))
    (local.set $C (i32.add (local.get $C) (local.get $ldc)))
    (v128.store offset=0 (local.get $C) (local.get $c20)) (v128.store offset=16 (local.get $C) (local.get $c21))
    (local.set $C (i32.add (local.get $C) (local.get $ldc)))
    (v128.store offset=0 (local.get $C) (local.get $c30)) (v128.store offset=16 (local.get $C) (local.get $c31)))

  ;; One 1×8 tile (the rows left over after the 4-row tiles); A[k] at A + k·$ak bytes.
  (func $tile1 (param $A i32) (param $K i32) (param $P i32) (param $C i32) (param $ak i32)
    (local $end i32) (local $a v128) (local $c0 v128) (local $c1 v128)
    (local.set $end (i32.add (local.get $A) (i32.mul (local.get $K) (local.get $ak))))
    (block $done
      (loop $k
        (br_if $done (i32.ge_u (local.get $A) (local.get $end)))
        (local.set $a (v128.load32_splat (local.get $A)))
        (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $a) (v128.load offset=0 (local.get $P)))))
        (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $a) (v128.load offset=16 (local.get $P)))))
        (local.set $A (i32.add (local.get $A) (local.get $ak)))
        (local.set $P (i32.add (local.get $P) (i32.const 32)))
        (br $k)))
    (v128.store offset=0 (local.get $C) (local.get $c0))
    (v128.store offset=16 (local.get $C) (local.get $c1)))
  ;; fma:end

  ;; C = A·B for rows [r0, R) of A (R×K; or given transposed, see $AT) and C (R×M, row-major); B (K×M) packed as NP/8 panels of K×8 (NP = M
  ;; rounded up to a multiple of 8; panel q holds columns 8q … 8q+7, zeros past M). Tiles of whole panels are stored
  ;; in C; those of a last, partial panel go to the scratch S (rows of 8 floats, R×8) and their M − 8q columns are
  ;; copied to C. Each entry of C sums over k in order 0 … K−1, whatever the tiling. When $nb ≠ 0, the row vector at
  ;; $bias (NP f32, zeros past M) is then added to every row of C (in f32, as a separate pass would).
  (func (export "gemm") (param $A i32) (param $Bp i32) (param $C i32) (param $K i32) (param $NP i32) (param $M i32) (param $S i32) (param $AT i32) (param $bias i32) (param $nb i32) (param $r0 i32) (param $R i32)
    (local $q i32) (local $nq i32) (local $P i32) (local $r i32) (local $lda i32) (local $ldc i32) (local $c i32)
    (local $full i32) (local $ld i32) (local $k i32) (local $c1 i32) (local $src i32) (local $dst i32) (local $ak i32)
    (local $b0 v128) (local $b1 v128) (local $t i32)
    ;; A row-major (AT = 0): row r at A + 4Kr, entries 4 bytes apart; A given transposed (Aᵀ row-major, AT = the rows
    ;; of A): row r at A + 4r, entries 4·AT bytes apart
    (local.set $lda (select (i32.const 4) (i32.shl (local.get $K) (i32.const 2)) (local.get $AT)))
    (local.set $ak (select (i32.shl (local.get $AT) (i32.const 2)) (i32.const 4) (local.get $AT)))
    (local.set $ldc (i32.shl (local.get $M) (i32.const 2)))
    (local.set $nq (i32.shr_u (local.get $NP) (i32.const 3)))
    (block $qdone
      (loop $panels
        (br_if $qdone (i32.ge_u (local.get $q) (local.get $nq)))
        (local.set $P (i32.add (local.get $Bp) (i32.mul (local.get $q) (i32.shl (local.get $K) (i32.const 5)))))
        (local.set $full (i32.le_u (i32.shl (i32.add (local.get $q) (i32.const 1)) (i32.const 3)) (local.get $M)))
        (if (local.get $full)
          (then
            (local.set $ld (local.get $ldc))
            (local.set $c (i32.add (local.get $C) (i32.add (i32.mul (local.get $r0) (local.get $ldc)) (i32.shl (local.get $q) (i32.const 5))))))
          (else
            (local.set $ld (i32.const 32))
            (local.set $c (i32.add (local.get $S) (i32.shl (local.get $r0) (i32.const 5))))))
        (if (local.get $nb) (then
          (local.set $b0 (v128.load offset=0 (i32.add (local.get $bias) (i32.shl (local.get $q) (i32.const 5)))))
          (local.set $b1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $q) (i32.const 5)))))))
        (local.set $r (local.get $r0))
        (block $rdone
          (loop $rows4
            (br_if $rdone (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $R)))
            (call $tile4 (i32.add (local.get $A) (i32.mul (local.get $r) (local.get $lda))) (local.get $K) (local.get $P) (local.get $c) (local.get $ld) (local.get $lda) (local.get $ak))
            (if (local.get $nb) (then
              (local.set $t (local.get $c))
              (loop $addb
                (v128.store offset=0 (local.get $t) (f32x4.add (v128.load offset=0 (local.get $t)) (local.get $b0)))
                (v128.store offset=16 (local.get $t) (f32x4.add (v128.load offset=16 (local.get $t)) (local.get $b1)))
                (local.set $t (i32.add (local.get $t) (local.get $ld)))
                (br_if $addb (i32.lt_u (local.get $t) (i32.add (local.get $c) (i32.shl (local.get $ld) (i32.const 2))))))))
            (local.set $c (i32.add (local.get $c) (i32.shl (local.get $ld) (i32.const 2))))
            (local.set $r (i32.add (local.get $r) (i32.const 4)))
            (br $rows4)))
        (block $r1done
          (loop $rows1
            (br_if $r1done (i32.ge_u (local.get $r) (local.get $R)))
            (call $tile1 (i32.add (local.get $A) (i32.mul (local.get $r) (local.get $lda))) (local.get $K) (local.get $P) (local.get $c) (local.get $ak))
            (if (local.get $nb) (then
              (v128.store offset=0 (local.get $c) (f32x4.add (v128.load offset=0 (local.get $c)) (local.get $b0)))
              (v128.store offset=16 (local.get $c) (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $b1)))))
            (local.set $c (i32.add (local.get $c) (local.get $ld)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rows1)))
        (if (i32.eqz (local.get $full))
          (then
            ;; the M − 8q columns of the partial panel, row by row, from S to C
            (local.set $c1 (i32.sub (local.get $M) (i32.shl (local.get $q) (i32.const 3))))
            (local.set $r (local.get $r0))
            (block $cdone
              (loop $copy
                (br_if $cdone (i32.ge_u (local.get $r) (local.get $R)))
                (local.set $src (i32.add (local.get $S) (i32.shl (local.get $r) (i32.const 5))))
                (local.set $dst (i32.add (local.get $C) (i32.add (i32.mul (local.get $r) (local.get $ldc)) (i32.shl (local.get $q) (i32.const 5)))))
                (local.set $k (i32.const 0))
                (loop $cols
                  (f32.store (i32.add (local.get $dst) (i32.shl (local.get $k) (i32.const 2))) (f32.load (i32.add (local.get $src) (i32.shl (local.get $k) (i32.const 2)))))
                  (local.set $k (i32.add (local.get $k) (i32.const 1)))
                  (br_if $cols (i32.lt_u (local.get $k) (local.get $c1))))
                (local.set $r (i32.add (local.get $r) (i32.const 1)))
                (br $copy)))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $panels))))

  ;; Panels [q0, q1) of B (k×m, row-major) packed for gemm: panel q, row p holds B[p][8q … 8q+7] (zeros past m), at
  ;; out + q·k·32 bytes; the same layout as packPanels in wasm.ts.
  (func (export "pack") (param $b i32) (param $k i32) (param $m i32) (param $out i32) (param $q0 i32) (param $q1 i32)
    (local $q i32) (local $p i32) (local $c1 i32) (local $c i32) (local $src i32) (local $dst i32) (local $ld i32)
    (local.set $ld (i32.shl (local.get $m) (i32.const 2)))
    (local.set $q (local.get $q0))
    (block $qdone
      (loop $panels
        (br_if $qdone (i32.ge_u (local.get $q) (local.get $q1)))
        (local.set $c1 (i32.sub (local.get $m) (i32.shl (local.get $q) (i32.const 3))))
        (local.set $src (i32.add (local.get $b) (i32.shl (local.get $q) (i32.const 5))))
        (local.set $dst (i32.add (local.get $out) (i32.mul (local.get $q) (i32.shl (local.get $k) (i32.const 5)))))
        (local.set $p (i32.const 0))
        (block $pdone
          (loop $rows
            (br_if $pdone (i32.ge_u (local.get $p) (local.get $k)))
            (if (i32.ge_s (local.get $c1) (i32.const 8))
              (then
                (v128.store offset=0 (local.get $dst) (v128.load offset=0 (local.get $src)))
                (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src))))
              (else
                (v128.store offset=0 (local.get $dst) (v128.const i32x4 0 0 0 0))
                (v128.store offset=16 (local.get $dst) (v128.const i32x4 0 0 0 0))
                (local.set $c (i32.const 0))
                (block $cdone
                  (loop $cols
                    (br_if $cdone (i32.ge_s (local.get $c) (local.get $c1)))
                    (f32.store (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 2)))
                      (f32.load (i32.add (local.get $src) (i32.shl (local.get $c) (i32.const 2)))))
                    (local.set $c (i32.add (local.get $c) (i32.const 1)))
                    (br $cols)))))
            (local.set $src (i32.add (local.get $src) (local.get $ld)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $rows)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $panels))))

  ;; Panels [q0, q1) of B (k×m) packed for gemm as `pack` does, B given transposed: b holds Bᵀ (m×k, row-major),
  ;; so panel q, row p holds b[8q … 8q+7][p] (zeros past m) — row c of b goes to every 8th float of the panel from c.
  (func (export "packt") (param $b i32) (param $k i32) (param $m i32) (param $out i32) (param $q0 i32) (param $q1 i32)
    (local $q i32) (local $c i32) (local $r i32) (local $src i32) (local $dst i32) (local $end i32)
    (local.set $q (local.get $q0))
    (block $qdone
      (loop $panels
        (br_if $qdone (i32.ge_u (local.get $q) (local.get $q1)))
        (local.set $c (i32.const 0))
        (block $cdone
          (loop $cols
            (br_if $cdone (i32.ge_u (local.get $c) (i32.const 8)))
            (local.set $r (i32.add (i32.shl (local.get $q) (i32.const 3)) (local.get $c)))
            (local.set $dst (i32.add (i32.add (local.get $out) (i32.mul (local.get $q) (i32.shl (local.get $k) (i32.const 5)))) (i32.shl (local.get $c) (i32.const 2))))
            (local.set $src (i32.add (local.get $b) (i32.shl (i32.mul (local.get $r) (local.get $k)) (i32.const 2))))
            (local.set $end (i32.add (local.get $src) (i32.shl (local.get $k) (i32.const 2))))
            (if (i32.lt_u (local.get $r) (local.get $m))
              (then
                (block $pdone (loop $rows
                  (br_if $pdone (i32.ge_u (local.get $src) (local.get $end)))
                  (f32.store (local.get $dst) (f32.load (local.get $src)))
                  (local.set $src (i32.add (local.get $src) (i32.const 4)))
                  (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
                  (br $rows))))
              (else
                (block $zdone (loop $zeros
                  (br_if $zdone (i32.ge_u (local.get $src) (local.get $end)))
                  (f32.store (local.get $dst) (f32.const 0))
                  (local.set $src (i32.add (local.get $src) (i32.const 4)))
                  (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
                  (br $zeros)))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $cols)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $panels))))

  ;; One Adam step on entries [i0, i1) of f32 arrays p (parameters), g (gradient), m, v (moments), with the f64
  ;; constants at $hp: β₁, β₂, 1−β₁, 1−β₂, c₁ = 1/(1−β₁ᵗ), c₂ = 1/(1−β₂ᵗ), lr, ε. In f64, operation for operation as
  ;; optim.ts's JS loop (m ← β₁m + (1−β₁)g; v ← β₂v + ((1−β₂)g)g; p ← p − (lr·(m·c₁))/(√(v·c₂) + ε), the moments
  ;; used unrounded, each store rounded to f32), so both give bitwise the same parameters.
  (func (export "adam") (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $hp i32) (param $i0 i32) (param $i1 i32)
    (local $b1 v128) (local $b2 v128) (local $a1 v128) (local $a2 v128) (local $c1 v128) (local $c2 v128) (local $lr v128) (local $eps v128)
    (local $gi v128) (local $mi v128) (local $vi v128) (local $o i32) (local $e2 i32) (local $e i32)
    (local.set $b1 (v128.load64_splat offset=0 (local.get $hp)))
    (local.set $b2 (v128.load64_splat offset=8 (local.get $hp)))
    (local.set $a1 (v128.load64_splat offset=16 (local.get $hp)))
    (local.set $a2 (v128.load64_splat offset=24 (local.get $hp)))
    (local.set $c1 (v128.load64_splat offset=32 (local.get $hp)))
    (local.set $c2 (v128.load64_splat offset=40 (local.get $hp)))
    (local.set $lr (v128.load64_splat offset=48 (local.get $hp)))
    (local.set $eps (v128.load64_splat offset=56 (local.get $hp)))
    (local.set $o (i32.shl (local.get $i0) (i32.const 2)))
    (local.set $e (i32.shl (local.get $i1) (i32.const 2)))
    (local.set $e2 (i32.add (local.get $o) (i32.and (i32.sub (local.get $e) (local.get $o)) (i32.const -8))))
    ;; two entries at a time (f64x2)
    (block $done2
      (loop $l2
        (br_if $done2 (i32.ge_u (local.get $o) (local.get $e2)))
        (local.set $gi (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $g) (local.get $o)))))
        (local.set $mi (f64x2.add
          (f64x2.mul (local.get $b1) (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $m) (local.get $o)))))
          (f64x2.mul (local.get $a1) (local.get $gi))))
        (local.set $vi (f64x2.add
          (f64x2.mul (local.get $b2) (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $v) (local.get $o)))))
          (f64x2.mul (f64x2.mul (local.get $a2) (local.get $gi)) (local.get $gi))))
        (v128.store64_lane 0 (i32.add (local.get $m) (local.get $o)) (f32x4.demote_f64x2_zero (local.get $mi)))
        (v128.store64_lane 0 (i32.add (local.get $v) (local.get $o)) (f32x4.demote_f64x2_zero (local.get $vi)))
        (v128.store64_lane 0 (i32.add (local.get $p) (local.get $o)) (f32x4.demote_f64x2_zero
          (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p) (local.get $o))))
            (f64x2.div (f64x2.mul (local.get $lr) (f64x2.mul (local.get $mi) (local.get $c1)))
              (f64x2.add (f64x2.sqrt (f64x2.mul (local.get $vi) (local.get $c2))) (local.get $eps))))))
        (local.set $o (i32.add (local.get $o) (i32.const 8)))
        (br $l2)))
    ;; the odd last entry (scalar f64, same operations)
    (if (i32.lt_u (local.get $o) (local.get $e))
      (then
        (local.set $gi (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $g) (local.get $o))))))
        (local.set $mi (f64x2.add
          (f64x2.mul (local.get $b1) (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $m) (local.get $o))))))
          (f64x2.mul (local.get $a1) (local.get $gi))))
        (local.set $vi (f64x2.add
          (f64x2.mul (local.get $b2) (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $v) (local.get $o))))))
          (f64x2.mul (f64x2.mul (local.get $a2) (local.get $gi)) (local.get $gi))))
        (f32.store (i32.add (local.get $m) (local.get $o)) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $mi))))
        (f32.store (i32.add (local.get $v) (local.get $o)) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $vi))))
        (f32.store (i32.add (local.get $p) (local.get $o)) (f32.demote_f64
          (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $p) (local.get $o))))
            (f64.div (f64.mul (f64x2.extract_lane 0 (local.get $lr)) (f64.mul (f64x2.extract_lane 0 (local.get $mi)) (f64x2.extract_lane 0 (local.get $c1))))
              (f64.add (f64.sqrt (f64.mul (f64x2.extract_lane 0 (local.get $vi)) (f64x2.extract_lane 0 (local.get $c2)))) (f64x2.extract_lane 0 (local.get $eps))))))))))
;; ---- Toy models of superposition (src/toy): the data draws and the elementwise pass of one instance ----

  ;; murmur3's 32-bit finaliser (a bijection): seeds the toy data streams from an instance key.
  (func $fmix (param $x i32) (result i32)
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 16))))
    (local.set $x (i32.mul (local.get $x) (i32.const 0x85ebca6b)))
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 13))))
    (local.set $x (i32.mul (local.get $x) (i32.const 0xc2b2ae35)))
    (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 16))))

  ;; State word of key word $k for the four lanes l of feature $i: fmix(k + (4i + l + 1)·0x9E3779B9).
  (func $seed4 (param $k i32) (param $i i32) (result v128)
    (local $c i32)
    (local.set $c (i32.add (local.get $k) (i32.mul (i32.add (i32.shl (local.get $i) (i32.const 2)) (i32.const 1)) (i32.const 0x9e3779b9))))
    (i32x4.replace_lane 3
      (i32x4.replace_lane 2
        (i32x4.replace_lane 1
          (i32x4.splat (call $fmix (local.get $c)))
          (call $fmix (i32.add (local.get $c) (i32.const 0x9e3779b9))))
        (call $fmix (i32.add (local.get $c) (i32.const 0x3c6ef372))))
      (call $fmix (i32.add (local.get $c) (i32.const 0xdaa66d2b)))))

  ;; Features [i0, i1) of one instance's batch (src/toy/data.ts holds the same draws in JS): feature i has four
  ;; xoshiro128** streams (lanes), seeded from the key (4 i32 at $key) by $seed4; sample b = 4g + l takes lane l's
  ;; draws 2g (activity: active iff draw ≤ cut[i] as unsigned) and 2g+1 (value (draw >> 8)·2⁻²⁴ ∈ [0, 1)).
  ;; Writes x (feature-major: x[i·B + b], every entry) and the non-zeros of feature i in its fixed slots
  ;; [i·B, end[i]) of idx (sample) / val (value), samples ascending.
  (func (export "toydata") (param $key i32) (param $cut i32) (param $B i32) (param $x i32) (param $idx i32) (param $val i32) (param $end i32) (param $i0 i32) (param $i1 i32)
    (local $i i32) (local $b i32) (local $q i32) (local $xo i32) (local $rem i32) (local $a i32) (local $l i32) (local $f f32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $t v128) (local $m5 v128) (local $u v128) (local $w v128)
    (local $c v128) (local $v v128) (local $five v128) (local $nine v128) (local $scale v128)
    (local.set $five (i32x4.splat (i32.const 5)))
    (local.set $nine (i32x4.splat (i32.const 9)))
    (local.set $scale (f32x4.splat (f32.const 0x1p-24)))
    (local.set $i (local.get $i0))
    (block $done
      (loop $features
        (br_if $done (i32.ge_u (local.get $i) (local.get $i1)))
        (local.set $s0 (call $seed4 (i32.load offset=0 (local.get $key)) (local.get $i)))
        (local.set $s1 (call $seed4 (i32.load offset=4 (local.get $key)) (local.get $i)))
        (local.set $s2 (call $seed4 (i32.load offset=8 (local.get $key)) (local.get $i)))
        (local.set $s3 (call $seed4 (i32.load offset=12 (local.get $key)) (local.get $i)))
        (local.set $c (i32x4.splat (i32.load (i32.add (local.get $cut) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $q (i32.mul (local.get $i) (local.get $B)))
        (local.set $xo (i32.add (local.get $x) (i32.shl (local.get $q) (i32.const 2))))
        (local.set $b (i32.const 0))
        (block $bdone
          (loop $samples
            (br_if $bdone (i32.ge_s (local.get $b) (local.get $B)))
        (local.set $m5 (i32x4.mul (local.get $s1) (local.get $five)))
        (local.set $u (i32x4.mul (v128.or (i32x4.shl (local.get $m5) (i32.const 7)) (i32x4.shr_u (local.get $m5) (i32.const 25))) (local.get $nine)))
        (local.set $t (i32x4.shl (local.get $s1) (i32.const 9)))
        (local.set $s2 (v128.xor (local.get $s2) (local.get $s0)))
        (local.set $s3 (v128.xor (local.get $s3) (local.get $s1)))
        (local.set $s1 (v128.xor (local.get $s1) (local.get $s2)))
        (local.set $s0 (v128.xor (local.get $s0) (local.get $s3)))
        (local.set $s2 (v128.xor (local.get $s2) (local.get $t)))
        (local.set $s3 (v128.or (i32x4.shl (local.get $s3) (i32.const 11)) (i32x4.shr_u (local.get $s3) (i32.const 21))))
        (local.set $m5 (i32x4.mul (local.get $s1) (local.get $five)))
        (local.set $w (i32x4.mul (v128.or (i32x4.shl (local.get $m5) (i32.const 7)) (i32x4.shr_u (local.get $m5) (i32.const 25))) (local.get $nine)))
        (local.set $t (i32x4.shl (local.get $s1) (i32.const 9)))
        (local.set $s2 (v128.xor (local.get $s2) (local.get $s0)))
        (local.set $s3 (v128.xor (local.get $s3) (local.get $s1)))
        (local.set $s1 (v128.xor (local.get $s1) (local.get $s2)))
        (local.set $s0 (v128.xor (local.get $s0) (local.get $s3)))
        (local.set $s2 (v128.xor (local.get $s2) (local.get $t)))
        (local.set $s3 (v128.or (i32x4.shl (local.get $s3) (i32.const 11)) (i32x4.shr_u (local.get $s3) (i32.const 21))))
            (local.set $v (v128.and
              (f32x4.mul (f32x4.convert_i32x4_u (i32x4.shr_u (local.get $w) (i32.const 8))) (local.get $scale))
              (i32x4.le_u (local.get $u) (local.get $c))))
            ;; x: four samples at once, or the lanes left in the last group (the next feature's row is not ours)
            (local.set $rem (i32.sub (local.get $B) (local.get $b)))
            (local.set $a (i32.add (local.get $xo) (i32.shl (local.get $b) (i32.const 2))))
            (if (i32.ge_s (local.get $rem) (i32.const 4))
              (then (v128.store (local.get $a) (local.get $v)) (local.set $rem (i32.const 4)))
              (else
                (f32.store (local.get $a) (f32x4.extract_lane 0 (local.get $v)))
                (if (i32.gt_s (local.get $rem) (i32.const 1)) (then (f32.store offset=4 (local.get $a) (f32x4.extract_lane 1 (local.get $v)))))
                (if (i32.gt_s (local.get $rem) (i32.const 2)) (then (f32.store offset=8 (local.get $a) (f32x4.extract_lane 2 (local.get $v)))))))
            ;; non-zeros, branch-free: every entry is written at q, which moves on past the non-zero ones
            (local.set $l (i32.const 0))
            (loop $lanes
              (local.set $f (f32.load (i32.add (local.get $a) (i32.shl (local.get $l) (i32.const 2)))))
              (i32.store (i32.add (local.get $idx) (i32.shl (local.get $q) (i32.const 2))) (i32.add (local.get $b) (local.get $l)))
              (f32.store (i32.add (local.get $val) (i32.shl (local.get $q) (i32.const 2))) (local.get $f))
              (local.set $q (i32.add (local.get $q) (f32.ne (local.get $f) (f32.const 0))))
              (local.set $l (i32.add (local.get $l) (i32.const 1)))
              (br_if $lanes (i32.lt_s (local.get $l) (local.get $rem))))
            (local.set $b (i32.add (local.get $b) (i32.const 4)))
            (br $samples)))
        (i32.store (i32.add (local.get $end) (i32.shl (local.get $i) (i32.const 2))) (local.get $q))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $features))))

  ;; The elementwise pass of one instance, features [i0, i1), in f64 (as src/toy/trainer.ts's JS pass, operation for
  ;; operation): outT = (pre − b)ᵀ and xT are n×B (f32), b at $bias (f32), (w_i, c·w_i) f64 pairs at $wc (w = importance,
  ;; c = 2/B). pre = outT + b_i; d = act(pre) − x; G = f32(c·w_i·d)·act′(pre) written in the fixed slots [i·B, end[i])
  ;; of idx/val (its non-zeros, samples ascending); gb[i] = f32(Σ_b G) (f32 at $gb), loss[i] = w_i·Σ_b d² (f64 at $loss).
  ;; act = ReLU when $relu ≠ 0, else the identity. Two samples at a time (f64x2), so each sum has two partial sums
  ;; (even and odd samples, added at the end); branch-free: the signs of pre are unpredictable.
  (func (export "toyelem") (param $outT i32) (param $xT i32) (param $bias i32) (param $wc i32) (param $B i32) (param $relu i32)
        (param $idx i32) (param $val i32) (param $end i32) (param $gb i32) (param $loss i32) (param $i0 i32) (param $i1 i32)
    (local $i i32) (local $r i32) (local $q i32) (local $o i32) (local $e2 i32)
    (local $bi f64) (local $cw f64) (local $sq f64) (local $gsum f64) (local $pre f64) (local $d f64) (local $gv f32)
    (local $bi2 v128) (local $cw2 v128) (local $z2 v128) (local $pre2 v128) (local $d2 v128) (local $sq2 v128) (local $gs2 v128) (local $g4 v128)
    (local.set $i (local.get $i0))
    (block $done
      (loop $features
        (br_if $done (i32.ge_u (local.get $i) (local.get $i1)))
        (local.set $q (i32.mul (local.get $i) (local.get $B)))
        (local.set $o (i32.shl (local.get $q) (i32.const 2)))
        (local.set $e2 (i32.add (local.get $o) (i32.shl (i32.and (local.get $B) (i32.const -2)) (i32.const 2))))
        (local.set $bi (f64.promote_f32 (f32.load (i32.add (local.get $bias) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $cw (f64.load offset=8 (i32.add (local.get $wc) (i32.shl (local.get $i) (i32.const 4)))))
        (local.set $bi2 (f64x2.splat (local.get $bi)))
        (local.set $cw2 (f64x2.splat (local.get $cw)))
        (local.set $sq2 (v128.const i64x2 0 0))
        (local.set $gs2 (v128.const i64x2 0 0))
        (local.set $r (i32.const 0))
        (if (local.get $relu)
          (then
            (block $rdone
              (loop $rloop
                (br_if $rdone (i32.ge_u (local.get $o) (local.get $e2)))
                (local.set $pre2 (f64x2.add (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $outT) (local.get $o)))) (local.get $bi2)))
                (local.set $d2 (f64x2.sub (f64x2.max (local.get $pre2) (local.get $z2)) (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $xT) (local.get $o))))))
                (local.set $sq2 (f64x2.add (local.get $sq2) (f64x2.mul (local.get $d2) (local.get $d2))))
                (local.set $g4 (f32x4.demote_f64x2_zero (v128.and (f64x2.mul (local.get $cw2) (local.get $d2)) (f64x2.gt (local.get $pre2) (local.get $z2)))))
                (local.set $gs2 (f64x2.add (local.get $gs2) (f64x2.promote_low_f32x4 (local.get $g4))))
                (local.set $gv (f32x4.extract_lane 0 (local.get $g4)))
                (i32.store (i32.add (local.get $idx) (i32.shl (local.get $q) (i32.const 2))) (local.get $r))
                (f32.store (i32.add (local.get $val) (i32.shl (local.get $q) (i32.const 2))) (local.get $gv))
                (local.set $q (i32.add (local.get $q) (f32.ne (local.get $gv) (f32.const 0))))
                (local.set $gv (f32x4.extract_lane 1 (local.get $g4)))
                (i32.store (i32.add (local.get $idx) (i32.shl (local.get $q) (i32.const 2))) (i32.add (local.get $r) (i32.const 1)))
                (f32.store (i32.add (local.get $val) (i32.shl (local.get $q) (i32.const 2))) (local.get $gv))
                (local.set $q (i32.add (local.get $q) (f32.ne (local.get $gv) (f32.const 0))))
                (local.set $r (i32.add (local.get $r) (i32.const 2)))
                (local.set $o (i32.add (local.get $o) (i32.const 8)))
                (br $rloop)))
)
          (else
            (block $ldone
              (loop $lloop
                (br_if $ldone (i32.ge_u (local.get $o) (local.get $e2)))
                (local.set $pre2 (f64x2.add (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $outT) (local.get $o)))) (local.get $bi2)))
                (local.set $d2 (f64x2.sub (local.get $pre2) (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $xT) (local.get $o))))))
                (local.set $sq2 (f64x2.add (local.get $sq2) (f64x2.mul (local.get $d2) (local.get $d2))))
                (local.set $g4 (f32x4.demote_f64x2_zero (f64x2.mul (local.get $cw2) (local.get $d2))))
                (local.set $gs2 (f64x2.add (local.get $gs2) (f64x2.promote_low_f32x4 (local.get $g4))))
                (local.set $gv (f32x4.extract_lane 0 (local.get $g4)))
                (i32.store (i32.add (local.get $idx) (i32.shl (local.get $q) (i32.const 2))) (local.get $r))
                (f32.store (i32.add (local.get $val) (i32.shl (local.get $q) (i32.const 2))) (local.get $gv))
                (local.set $q (i32.add (local.get $q) (f32.ne (local.get $gv) (f32.const 0))))
                (local.set $gv (f32x4.extract_lane 1 (local.get $g4)))
                (i32.store (i32.add (local.get $idx) (i32.shl (local.get $q) (i32.const 2))) (i32.add (local.get $r) (i32.const 1)))
                (f32.store (i32.add (local.get $val) (i32.shl (local.get $q) (i32.const 2))) (local.get $gv))
                (local.set $q (i32.add (local.get $q) (f32.ne (local.get $gv) (f32.const 0))))
                (local.set $r (i32.add (local.get $r) (i32.const 2)))
                (local.set $o (i32.add (local.get $o) (i32.const 8)))
                (br $lloop)))))
        ;; an odd last sample joins the even ones
        (local.set $sq (f64x2.extract_lane 0 (local.get $sq2)))
        (local.set $gsum (f64x2.extract_lane 0 (local.get $gs2)))
        (if (i32.lt_s (local.get $r) (local.get $B))
          (then
            (local.set $pre (f64.add (f64.promote_f32 (f32.load (i32.add (local.get $outT) (local.get $o)))) (local.get $bi)))
            (local.set $d (f64.sub
              (select (f64.max (local.get $pre) (f64.const 0)) (local.get $pre) (local.get $relu))
              (f64.promote_f32 (f32.load (i32.add (local.get $xT) (local.get $o))))))
            (local.set $sq (f64.add (local.get $sq) (f64.mul (local.get $d) (local.get $d))))
            (local.set $gv (select (f32.demote_f64 (f64.mul (local.get $cw) (local.get $d))) (f32.const 0)
              (i32.or (i32.eqz (local.get $relu)) (f64.gt (local.get $pre) (f64.const 0)))))
            (i32.store (i32.add (local.get $idx) (i32.shl (local.get $q) (i32.const 2))) (local.get $r))
            (f32.store (i32.add (local.get $val) (i32.shl (local.get $q) (i32.const 2))) (local.get $gv))
            (local.set $q (i32.add (local.get $q) (f32.ne (local.get $gv) (f32.const 0))))
            (local.set $gsum (f64.add (local.get $gsum) (f64.promote_f32 (local.get $gv))))))
        (local.set $sq (f64.add (local.get $sq) (f64x2.extract_lane 1 (local.get $sq2))))
        (local.set $gsum (f64.add (local.get $gsum) (f64x2.extract_lane 1 (local.get $gs2))))
        (f64.store (i32.add (local.get $loss) (i32.shl (local.get $i) (i32.const 3)))
          (f64.mul (f64.load (i32.add (local.get $wc) (i32.shl (local.get $i) (i32.const 4)))) (local.get $sq)))
        (f32.store (i32.add (local.get $gb) (i32.shl (local.get $i) (i32.const 2))) (f32.demote_f64 (local.get $gsum)))
        (i32.store (i32.add (local.get $end) (i32.shl (local.get $i) (i32.const 2))) (local.get $q))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $features))))
;; Column sums of a (rows×cols, cols even) for the column pairs in [j0, j1) (even): out[j] = Σ_r a[r][j] in f64, rows
;; ascending (f64 at $out) — the order of compute/rows.ts's columnSums, so both give bitwise the same. Row by row
;; (the accumulators of the range stay in L1, the rows are read contiguously), two columns per f64x2.
  (func (export "colsum") (param $a i32) (param $rows i32) (param $cols i32) (param $out i32) (param $j0 i32) (param $j1 i32)
    (local $r i32) (local $p i32) (local $q i32) (local $qe i32) (local $q0 i32)
    (local.set $q0 (i32.add (local.get $out) (i32.shl (local.get $j0) (i32.const 3))))
    (local.set $qe (i32.add (local.get $out) (i32.shl (local.get $j1) (i32.const 3))))
    (local.set $q (local.get $q0))
    (block $zd (loop $zero
      (br_if $zd (i32.ge_u (local.get $q) (local.get $qe)))
      (v128.store (local.get $q) (v128.const i64x2 0 0))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (br $zero)))
    (block $done (loop $rowsl
      (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $p (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $j0)) (i32.const 2))))
      (local.set $q (local.get $q0))
      (block $cd (loop $c
        (br_if $cd (i32.ge_u (local.get $q) (local.get $qe)))
        (v128.store (local.get $q) (f64x2.add (v128.load (local.get $q)) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $c)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowsl))))

;; ---- Batch norm over rows followed by a leaky ReLU (src/nn/batchnorm.ts): column pairs [j0, j1), f64 sums ----

  ;; Training forward of x (B×F, F even) for columns [j0, j1) (even): per column μ = Σ_r x / B, σ² = Σ_r (x − μ)² / B
  ;; (rows ascending), inv = 1/√(σ² + ε); x̂ = (x − μ)·inv, y = γ·x̂ + β, act = y·(y > 0 ? 1 : slope), each stored f32;
  ;; μ, σ², inv stored f64 at $st (μ at st, σ² at st + 8F, inv at st + 16F). f64 constants at $hp: slope, ε.
  ;; Operation for operation the JS loops of batchNormTrain + leakyReluForward, so both give bitwise the same.
  (func (export "bnfwd") (param $x i32) (param $xhat i32) (param $y i32) (param $act i32) (param $B i32) (param $F i32)
        (param $gamma i32) (param $beta i32) (param $st i32) (param $hp i32) (param $j0 i32) (param $j1 i32)
    (local $j i32) (local $o i32) (local $e i32) (local $ld i32) (local $c i32)
    (local $s v128) (local $mu v128) (local $inv v128) (local $d v128) (local $h v128) (local $g v128) (local $be v128)
    (local $yv v128) (local $bf v128) (local $slope v128) (local $one v128) (local $zero v128) (local $eps v128)
    (local.set $slope (v128.load64_splat offset=0 (local.get $hp)))
    (local.set $eps (v128.load64_splat offset=8 (local.get $hp)))
    (local.set $one (f64x2.splat (f64.const 1)))
    (local.set $bf (f64x2.splat (f64.convert_i32_s (local.get $B))))
    (local.set $ld (i32.shl (local.get $F) (i32.const 2)))
    (local.set $j (local.get $j0))
    (block $done
      (loop $cols
        (br_if $done (i32.ge_u (local.get $j) (local.get $j1)))
        (local.set $c (i32.shl (local.get $j) (i32.const 2)))
        (local.set $e (i32.add (local.get $c) (i32.mul (local.get $B) (local.get $ld))))
        ;; μ
        (local.set $s (local.get $zero))
        (local.set $o (local.get $c))
        (block $d1 (loop $l1
          (br_if $d1 (i32.ge_u (local.get $o) (local.get $e)))
          (local.set $s (f64x2.add (local.get $s) (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $x) (local.get $o))))))
          (local.set $o (i32.add (local.get $o) (local.get $ld)))
          (br $l1)))
        (local.set $mu (f64x2.div (local.get $s) (local.get $bf)))
        ;; σ², inv
        (local.set $s (local.get $zero))
        (local.set $o (local.get $c))
        (block $d2 (loop $l2
          (br_if $d2 (i32.ge_u (local.get $o) (local.get $e)))
          (local.set $d (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $x) (local.get $o)))) (local.get $mu)))
          (local.set $s (f64x2.add (local.get $s) (f64x2.mul (local.get $d) (local.get $d))))
          (local.set $o (i32.add (local.get $o) (local.get $ld)))
          (br $l2)))
        (local.set $s (f64x2.div (local.get $s) (local.get $bf)))
        (local.set $inv (f64x2.div (local.get $one) (f64x2.sqrt (f64x2.add (local.get $s) (local.get $eps)))))
        (v128.store (i32.add (local.get $st) (i32.shl (local.get $j) (i32.const 3))) (local.get $mu))
        (v128.store (i32.add (i32.add (local.get $st) (i32.shl (local.get $F) (i32.const 3))) (i32.shl (local.get $j) (i32.const 3))) (local.get $s))
        (v128.store (i32.add (i32.add (local.get $st) (i32.shl (local.get $F) (i32.const 4))) (i32.shl (local.get $j) (i32.const 3))) (local.get $inv))
        ;; x̂, y, act
        (local.set $g (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $gamma) (local.get $c)))))
        (local.set $be (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $beta) (local.get $c)))))
        (local.set $o (local.get $c))
        (block $d3 (loop $l3
          (br_if $d3 (i32.ge_u (local.get $o) (local.get $e)))
          (local.set $h (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $x) (local.get $o)))) (local.get $mu)) (local.get $inv)))
          (v128.store64_lane 0 (i32.add (local.get $xhat) (local.get $o)) (f32x4.demote_f64x2_zero (local.get $h)))
          (local.set $yv (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.add (f64x2.mul (local.get $g) (local.get $h)) (local.get $be)))))
          (v128.store64_lane 0 (i32.add (local.get $y) (local.get $o)) (f32x4.demote_f64x2_zero (local.get $yv)))
          (v128.store64_lane 0 (i32.add (local.get $act) (local.get $o)) (f32x4.demote_f64x2_zero
            (f64x2.mul (local.get $yv) (v128.bitselect (local.get $one) (local.get $slope) (f64x2.gt (local.get $yv) (local.get $zero))))))
          (local.set $o (i32.add (local.get $o) (local.get $ld)))
          (br $l3)))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $cols))))

  ;; Backward of bnfwd for columns [j0, j1) (even): from dy (B×F) and the forward's y, x̂ and inv (f64 at $inv):
  ;; dd = f32(dy·(y > 0 ? 1 : slope)); Σdd and Σdd·x̂ (f64, rows ascending) stored f64 at $st (Σdd at st, Σdd·x̂ at
  ;; st + 8F); dx = f32(k·((dd − a) − x̂·c)) with k = γ·inv, a = Σdd/B, c = Σdd·x̂/B (dx may be dy). f64 at $hp: slope.
  ;; Operation for operation leakyReluBackward + batchNormBackward's JS loops.
  (func (export "bnbwd") (param $dy i32) (param $y i32) (param $xhat i32) (param $dx i32) (param $B i32) (param $F i32)
        (param $gamma i32) (param $inv i32) (param $st i32) (param $hp i32) (param $j0 i32) (param $j1 i32)
    (local $j i32) (local $o i32) (local $e i32) (local $ld i32) (local $c i32)
    (local $sb v128) (local $sg v128) (local $dd v128) (local $xh v128) (local $k v128) (local $a v128) (local $cc v128)
    (local $bf v128) (local $slope v128) (local $one v128) (local $zero v128)
    (local.set $slope (v128.load64_splat offset=0 (local.get $hp)))
    (local.set $one (f64x2.splat (f64.const 1)))
    (local.set $bf (f64x2.splat (f64.convert_i32_s (local.get $B))))
    (local.set $ld (i32.shl (local.get $F) (i32.const 2)))
    (local.set $j (local.get $j0))
    (block $done
      (loop $cols
        (br_if $done (i32.ge_u (local.get $j) (local.get $j1)))
        (local.set $c (i32.shl (local.get $j) (i32.const 2)))
        (local.set $e (i32.add (local.get $c) (i32.mul (local.get $B) (local.get $ld))))
        (local.set $sb (local.get $zero))
        (local.set $sg (local.get $zero))
        (local.set $o (local.get $c))
        (block $d1 (loop $l1
          (br_if $d1 (i32.ge_u (local.get $o) (local.get $e)))
          (local.set $dd (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $dy) (local.get $o))))
            (v128.bitselect (local.get $one) (local.get $slope) (f64x2.gt (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $y) (local.get $o)))) (local.get $zero)))))))
          (local.set $sb (f64x2.add (local.get $sb) (local.get $dd)))
          (local.set $sg (f64x2.add (local.get $sg) (f64x2.mul (local.get $dd) (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $xhat) (local.get $o)))))))
          (local.set $o (i32.add (local.get $o) (local.get $ld)))
          (br $l1)))
        (v128.store (i32.add (local.get $st) (i32.shl (local.get $j) (i32.const 3))) (local.get $sb))
        (v128.store (i32.add (i32.add (local.get $st) (i32.shl (local.get $F) (i32.const 3))) (i32.shl (local.get $j) (i32.const 3))) (local.get $sg))
        (local.set $k (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $gamma) (local.get $c)))) (v128.load (i32.add (local.get $inv) (i32.shl (local.get $j) (i32.const 3))))))
        (local.set $a (f64x2.div (local.get $sb) (local.get $bf)))
        (local.set $cc (f64x2.div (local.get $sg) (local.get $bf)))
        (local.set $o (local.get $c))
        (block $d2 (loop $l2
          (br_if $d2 (i32.ge_u (local.get $o) (local.get $e)))
          (local.set $dd (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $dy) (local.get $o))))
            (v128.bitselect (local.get $one) (local.get $slope) (f64x2.gt (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $y) (local.get $o)))) (local.get $zero)))))))
          (v128.store64_lane 0 (i32.add (local.get $dx) (local.get $o)) (f32x4.demote_f64x2_zero
            (f64x2.mul (local.get $k) (f64x2.sub (f64x2.sub (local.get $dd) (local.get $a))
              (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $xhat) (local.get $o)))) (local.get $cc))))))
          (local.set $o (i32.add (local.get $o) (local.get $ld)))
          (br $l2)))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $cols))))

;; ---- Row passes over B×N arrays (src/compute/rows.ts, src/compute/csr.ts): rows [r0, r1) per call ----

  ;; out[r][j] = a[r][j] + v[j], or a[r][j] − v[j] when $sub ≠ 0, for rows [r0, r1) of a and out (rows of $cols
  ;; f32; out may be a). The same single rounding as the JS loop, so both give bitwise the same.
  (func (export "addrow") (param $a i32) (param $v i32) (param $sub i32) (param $out i32) (param $cols i32) (param $r0 i32) (param $r1 i32)
    (local $r i32) (local $j i32) (local $o i32) (local $c4 i32) (local $x v128) (local $y v128) (local $xs f32) (local $ys f32)
    (local.set $c4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $r (local.get $r0))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $r) (local.get $r1)))
      (local.set $o (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 2)))
      (local.set $j (i32.const 0))
      (block $vd (loop $vec
        (br_if $vd (i32.ge_u (local.get $j) (local.get $c4)))
        (local.set $x (v128.load (i32.add (local.get $a) (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $y (v128.load (i32.add (local.get $v) (i32.shl (local.get $j) (i32.const 2)))))
        (v128.store (i32.add (local.get $out) (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))))
          (select (f32x4.sub (local.get $x) (local.get $y)) (f32x4.add (local.get $x) (local.get $y)) (local.get $sub)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vec)))
      (block $td (loop $tail
        (br_if $td (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $xs (f32.load (i32.add (local.get $a) (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $ys (f32.load (i32.add (local.get $v) (i32.shl (local.get $j) (i32.const 2)))))
        (f32.store (i32.add (local.get $out) (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))))
          (select (f32.sub (local.get $xs) (local.get $ys)) (f32.add (local.get $xs) (local.get $ys)) (local.get $sub)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows))))

  ;; Keys: an f32's bits read as i32, m = max(key, 0) — m orders the positive values as the floats do and maps every
  ;; other value (negative, ±0) to 0.
  ;; The candidates for the k-th largest key m of a row of N f32, copied packed to dst: every key
  ;; ≥ t, where t = the least of the maxima of k disjoint groups of 4·floor(N/4k) keys — each group holds a key ≥ t, so at
  ;; least k keys are ≥ t and t ≤ the k-th largest: the k-th largest of the candidates is the row's. Returns how many
  ;; were copied, or −1 when it does not apply (4k > N, or t = 0: a group without a positive value). The copy has no
  ;; branch on the data: every key is written at the next free position, which moves on past the candidates only
  ;; (with ~10 % of the keys candidates, a branch per group of four mispredicts often).
  (func $prefilter (param $row i32) (param $N i32) (param $k i32) (param $dst i32) (result i32)
    (local $g4 i32) (local $g i32) (local $p i32) (local $e i32) (local $acc v128) (local $mx i32) (local $t i32)
    (local $i i32) (local $n4 i32) (local $nc i32) (local $v v128) (local $t4 v128) (local $key i32)
    (local.set $g4 (i32.shr_u (i32.div_u (local.get $N) (local.get $k)) (i32.const 2)))
    (if (i32.eqz (local.get $g4)) (then (return (i32.const -1))))
    (local.set $t (i32.const 0x7fffffff))
    (local.set $p (local.get $row))
    (block $gd (loop $groups
      (br_if $gd (i32.ge_u (local.get $g) (local.get $k)))
      (local.set $acc (v128.const i64x2 0 0))
      (local.set $e (i32.add (local.get $p) (i32.shl (local.get $g4) (i32.const 4))))
      (block $vd (loop $vec
        (br_if $vd (i32.ge_u (local.get $p) (local.get $e)))
        (local.set $acc (i32x4.max_s (local.get $acc) (v128.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $vec)))
      (local.set $acc (i32x4.max_s (local.get $acc) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $acc) (local.get $acc))))
      (local.set $mx (i32.add (i32.const 0) (select (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc))
        (i32.gt_s (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc))))))
      (local.set $t (select (local.get $mx) (local.get $t) (i32.lt_s (local.get $mx) (local.get $t))))
      (local.set $g (i32.add (local.get $g) (i32.const 1)))
      (br $groups)))
    (if (i32.eqz (local.get $t)) (then (return (i32.const -1))))
    ;; keys ≥ t ≥ 1 as i32 are positive floats (or NaN with the sign clear): their key is m
    (local.set $t4 (i32x4.splat (local.get $t)))
    (local.set $n4 (i32.and (local.get $N) (i32.const -4)))
    (block $cd (loop $copy
      (br_if $cd (i32.ge_u (local.get $i) (local.get $n4)))
      (local.set $v (v128.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $key (i32x4.extract_lane 0 (local.get $v)))
      (i32.store (i32.add (local.get $dst) (i32.shl (local.get $nc) (i32.const 2))) (local.get $key))
      (local.set $nc (i32.add (local.get $nc) (i32.ge_s (local.get $key) (local.get $t))))
      (local.set $key (i32x4.extract_lane 1 (local.get $v)))
      (i32.store (i32.add (local.get $dst) (i32.shl (local.get $nc) (i32.const 2))) (local.get $key))
      (local.set $nc (i32.add (local.get $nc) (i32.ge_s (local.get $key) (local.get $t))))
      (local.set $key (i32x4.extract_lane 2 (local.get $v)))
      (i32.store (i32.add (local.get $dst) (i32.shl (local.get $nc) (i32.const 2))) (local.get $key))
      (local.set $nc (i32.add (local.get $nc) (i32.ge_s (local.get $key) (local.get $t))))
      (local.set $key (i32x4.extract_lane 3 (local.get $v)))
      (i32.store (i32.add (local.get $dst) (i32.shl (local.get $nc) (i32.const 2))) (local.get $key))
      (local.set $nc (i32.add (local.get $nc) (i32.ge_s (local.get $key) (local.get $t))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $copy)))
    (block $td (loop $tail
      (br_if $td (i32.ge_u (local.get $i) (local.get $N)))
      (local.set $key (i32.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2)))))
      (i32.store (i32.add (local.get $dst) (i32.shl (local.get $nc) (i32.const 2))) (local.get $key))
      (local.set $nc (i32.add (local.get $nc) (i32.ge_s (local.get $key) (local.get $t))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $tail)))
    (local.get $nc))

  ;; How many of the n i32 at $src are ≥ $c (signed; c ≥ 1, so the negative keys never count).
  (func $countge (param $src i32) (param $n i32) (param $c i32) (result i32)
    (local $e i32) (local $e8 i32) (local $c4 v128) (local $s0 v128) (local $s1 v128) (local $cnt i32)
    (local.set $c4 (i32x4.splat (local.get $c)))
    (local.set $e (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $e8 (i32.add (local.get $src) (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 2))))
    (block $vd (loop $vec
      (br_if $vd (i32.ge_u (local.get $src) (local.get $e8)))
      (local.set $s0 (i32x4.sub (local.get $s0) (i32x4.ge_s (v128.load offset=0 (local.get $src)) (local.get $c4))))
      (local.set $s1 (i32x4.sub (local.get $s1) (i32x4.ge_s (v128.load offset=16 (local.get $src)) (local.get $c4))))
      (local.set $src (i32.add (local.get $src) (i32.const 32)))
      (br $vec)))
    (local.set $s0 (i32x4.add (local.get $s0) (local.get $s1)))
    (local.set $cnt (i32.add (i32.add (i32x4.extract_lane 0 (local.get $s0)) (i32x4.extract_lane 1 (local.get $s0)))
      (i32.add (i32x4.extract_lane 2 (local.get $s0)) (i32x4.extract_lane 3 (local.get $s0)))))
    (block $td (loop $tail
      (br_if $td (i32.ge_u (local.get $src) (local.get $e)))
      (local.set $cnt (i32.add (local.get $cnt) (i32.ge_s (i32.load (local.get $src)) (local.get $c))))
      (local.set $src (i32.add (local.get $src) (i32.const 4)))
      (br $tail)))
    (local.get $cnt))

  ;; The threshold of TopK_k(ReLU(·)) over a row of N f32 at $row (1 ≤ k < N): a value of the row is a code exactly
  ;; when max(key, 0) ≥ thr (unsigned; keys as in $prefilter), for thr = the row's k-th largest max(key, 0), or 1
  ;; when that is 0 (fewer than k positive values: all of them kept) — or any thr ≥ 1 that keeps the same values.
  ;; A bitwise search for the largest thr with at least k keys ≥ thr (each step a count), over the candidates of
  ;; $prefilter (packed in the N-entry scratch $scr; every key ≥ the k-th largest is one, so each count of a thr
  ;; ≥ the bound is the row's, and below it both are ≥ k) or, where it does not apply, the whole row. It stops early
  ;; at a thr with exactly k of the n keys searched ≥ it when k < n (such a thr is above a candidate, so above the
  ;; bound: the row has exactly k keys ≥ it, the k largest, so the codes are the same).
  (func $rowthr (param $row i32) (param $scr i32) (param $N i32) (param $k i32) (result i32)
    (local $src i32) (local $n i32) (local $thr i32) (local $bit i32) (local $c i32) (local $cnt i32)
    (local.set $n (call $prefilter (local.get $row) (local.get $N) (local.get $k) (local.get $scr)))
    (local.set $src (local.get $scr))
    (if (i32.lt_s (local.get $n) (i32.const 0)) (then (local.set $src (local.get $row)) (local.set $n (local.get $N))))
    (local.set $bit (i32.const 0x40000000))
    (block $found (loop $bits
      (local.set $c (i32.or (local.get $thr) (local.get $bit)))
      (local.set $cnt (call $countge (local.get $src) (local.get $n) (local.get $c)))
      (if (i32.ge_u (local.get $cnt) (local.get $k)) (then
        (local.set $thr (local.get $c))
        (br_if $found (i32.and (i32.eq (local.get $cnt) (local.get $k)) (i32.lt_u (local.get $cnt) (local.get $n))))))
      (local.set $bit (i32.shr_u (local.get $bit) (i32.const 1)))
      (br_if $bits (local.get $bit))))
    (select (local.get $thr) (i32.const 1) (local.get $thr)))

  ;; Codes of rows [r0, r1) of pre (rows of N f32) into z: TopK_k(ReLU(pre)) per row — the values ≥ the row's k-th
  ;; largest that are > 0, ties at the k-th all kept ($rowthr, z's row its scratch) — or ReLU(pre) when k = 0 or
  ;; k ≥ N. sum[b] (f64) = Σ_i z[b][i] in four lanes (i mod 4) added as ((s₀ + s₁) + s₂) + s₃, then the last
  ;; N mod 4 entries in order.
  (func (export "act") (param $pre i32) (param $z i32) (param $sum i32) (param $N i32) (param $k i32) (param $r0 i32) (param $r1 i32)
    (local $b i32) (local $row i32) (local $zr i32) (local $thr i32)
    (local $i i32) (local $n4 i32) (local $key i32) (local $kv v128) (local $v v128) (local $t v128) (local $lo v128) (local $hi v128)
    (local $s f64) (local $x f32)
    (local.set $n4 (i32.and (local.get $N) (i32.const -4)))
    (local.set $b (local.get $r0))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $b) (local.get $r1)))
      (local.set $row (i32.add (local.get $pre) (i32.shl (i32.mul (local.get $b) (local.get $N)) (i32.const 2))))
      (local.set $zr (i32.add (local.get $z) (i32.shl (i32.mul (local.get $b) (local.get $N)) (i32.const 2))))
      (local.set $thr (i32.const 1))
      (if (i32.and (i32.ne (local.get $k) (i32.const 0)) (i32.lt_u (local.get $k) (local.get $N)))
        (then (local.set $thr (call $rowthr (local.get $row) (local.get $zr) (local.get $N) (local.get $k)))))
      ;; z = the value where max(key, 0) ≥ thr (unsigned; thr ≥ 1, so positive values only), else +0
      (local.set $t (i32x4.splat (local.get $thr)))
      (local.set $lo (v128.const i64x2 0 0))
      (local.set $hi (v128.const i64x2 0 0))
      (local.set $i (i32.const 0))
      (block $vd (loop $vec
        (br_if $vd (i32.ge_u (local.get $i) (local.get $n4)))
        (local.set $kv (v128.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $v (v128.and (local.get $kv)
          (i32x4.ge_u (v128.and (local.get $kv) (i32x4.gt_s (local.get $kv) (v128.const i64x2 0 0))) (local.get $t))))
        (v128.store (i32.add (local.get $zr) (i32.shl (local.get $i) (i32.const 2))) (local.get $v))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vec)))
      (local.set $s (f64.add (f64.add (f64.add (f64x2.extract_lane 0 (local.get $lo)) (f64x2.extract_lane 1 (local.get $lo)))
        (f64x2.extract_lane 0 (local.get $hi))) (f64x2.extract_lane 1 (local.get $hi))))
      (block $td (loop $tail
        (br_if $td (i32.ge_u (local.get $i) (local.get $N)))
        (local.set $key (i32.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $x (select (f32.reinterpret_i32 (local.get $key)) (f32.const 0)
          (i32.ge_u (select (local.get $key) (i32.const 0) (i32.gt_s (local.get $key) (i32.const 0))) (local.get $thr))))
        (f32.store (i32.add (local.get $zr) (i32.shl (local.get $i) (i32.const 2))) (local.get $x))
        (local.set $s (f64.add (local.get $s) (f64.promote_f32 (local.get $x))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))
      (f64.store (i32.add (local.get $sum) (i32.shl (local.get $b) (i32.const 3))) (local.get $s))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $rows))))

  ;; cnt[b] (i32) = the number of entries ≠ 0 (NaN included, ±0 not) of rows [r0, r1) of z (rows of N f32).
  (func (export "rownnz") (param $z i32) (param $N i32) (param $cnt i32) (param $r0 i32) (param $r1 i32)
    (local $b i32) (local $p i32) (local $e i32) (local $e4 i32) (local $c v128) (local $n i32)
    (local.set $b (local.get $r0))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $b) (local.get $r1)))
      (local.set $p (i32.add (local.get $z) (i32.shl (i32.mul (local.get $b) (local.get $N)) (i32.const 2))))
      (local.set $e (i32.add (local.get $p) (i32.shl (local.get $N) (i32.const 2))))
      (local.set $e4 (i32.add (local.get $p) (i32.shl (i32.and (local.get $N) (i32.const -4)) (i32.const 2))))
      (local.set $c (v128.const i64x2 0 0))
      (block $vd (loop $vec
        (br_if $vd (i32.ge_u (local.get $p) (local.get $e4)))
        (local.set $c (i32x4.sub (local.get $c) (f32x4.ne (v128.load (local.get $p)) (v128.const i64x2 0 0))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $vec)))
      (local.set $n (i32.add (i32.add (i32x4.extract_lane 0 (local.get $c)) (i32x4.extract_lane 1 (local.get $c)))
        (i32.add (i32x4.extract_lane 2 (local.get $c)) (i32x4.extract_lane 3 (local.get $c)))))
      (block $td (loop $tail
        (br_if $td (i32.ge_u (local.get $p) (local.get $e)))
        (local.set $n (i32.add (local.get $n) (f32.ne (f32.load (local.get $p)) (f32.const 0))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $tail)))
      (i32.store (i32.add (local.get $cnt) (i32.shl (local.get $b) (i32.const 2))) (local.get $n))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $rows))))

  ;; The non-zeros of rows [r0, r1) of z (rows of N f32) in CSR: row b's columns (ascending) and values at
  ;; [ptr[b], ptr[b+1]) of idx/val (ptr: the prefix sums of rownnz's counts). Every entry is written at the row's
  ;; next free position, which moves on past the non-zero ones; the row stops when its range is full, so nothing is
  ;; written outside it (the other thread may be writing the next row). While four free positions are left, groups
  ;; of four entries are written whole, without a branch on the data (with few non-zeros, a branch per group
  ;; mispredicts often); then entry by entry, groups of four zeros skipped.
  (func (export "csrrows") (param $z i32) (param $N i32) (param $ptr i32) (param $idx i32) (param $val i32) (param $r0 i32) (param $r1 i32)
    (local $b i32) (local $p i32) (local $pe i32) (local $i i32) (local $n4 i32) (local $row i32) (local $v f32)
    (local $x v128) (local $m v128) (local $q i32)
    (local.set $n4 (i32.and (local.get $N) (i32.const -4)))
    (local.set $b (local.get $r0))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $b) (local.get $r1)))
      (local.set $p (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $b) (i32.const 2)))))
      (local.set $pe (i32.load (i32.add (local.get $ptr) (i32.shl (i32.add (local.get $b) (i32.const 1)) (i32.const 2)))))
      (local.set $row (i32.add (local.get $z) (i32.shl (i32.mul (local.get $b) (local.get $N)) (i32.const 2))))
      (local.set $i (i32.const 0))
      (block $vd (loop $vec
        (br_if $vd (i32.or (i32.ge_u (local.get $i) (local.get $n4)) (i32.gt_s (i32.add (local.get $p) (i32.const 4)) (local.get $pe))))
        (local.set $x (v128.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $m (f32x4.ne (local.get $x) (v128.const i64x2 0 0)))
        (local.set $q (i32.shl (local.get $p) (i32.const 2)))
        (i32.store (i32.add (local.get $idx) (local.get $q)) (local.get $i))
        (f32.store (i32.add (local.get $val) (local.get $q)) (f32x4.extract_lane 0 (local.get $x)))
        (local.set $p (i32.sub (local.get $p) (i32x4.extract_lane 0 (local.get $m))))
        (local.set $q (i32.shl (local.get $p) (i32.const 2)))
        (i32.store (i32.add (local.get $idx) (local.get $q)) (i32.add (local.get $i) (i32.const 1)))
        (f32.store (i32.add (local.get $val) (local.get $q)) (f32x4.extract_lane 1 (local.get $x)))
        (local.set $p (i32.sub (local.get $p) (i32x4.extract_lane 1 (local.get $m))))
        (local.set $q (i32.shl (local.get $p) (i32.const 2)))
        (i32.store (i32.add (local.get $idx) (local.get $q)) (i32.add (local.get $i) (i32.const 2)))
        (f32.store (i32.add (local.get $val) (local.get $q)) (f32x4.extract_lane 2 (local.get $x)))
        (local.set $p (i32.sub (local.get $p) (i32x4.extract_lane 2 (local.get $m))))
        (local.set $q (i32.shl (local.get $p) (i32.const 2)))
        (i32.store (i32.add (local.get $idx) (local.get $q)) (i32.add (local.get $i) (i32.const 3)))
        (f32.store (i32.add (local.get $val) (local.get $q)) (f32x4.extract_lane 3 (local.get $x)))
        (local.set $p (i32.sub (local.get $p) (i32x4.extract_lane 3 (local.get $m))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vec)))
      (block $rd (loop $l
        (br_if $rd (i32.ge_u (local.get $p) (local.get $pe)))
        (if (i32.and (i32.lt_u (local.get $i) (local.get $n4)) (i32.eqz (i32.and (i32.const 3) (local.get $i))))
          (then
            (if (i32.eqz (v128.any_true (f32x4.ne (v128.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2)))) (v128.const i64x2 0 0))))
              (then (local.set $i (i32.add (local.get $i) (i32.const 4))) (br $l)))))
        (local.set $v (f32.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2)))))
        (i32.store (i32.add (local.get $idx) (i32.shl (local.get $p) (i32.const 2))) (local.get $i))
        (f32.store (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2))) (local.get $v))
        (local.set $p (i32.add (local.get $p) (f32.ne (local.get $v) (f32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $rows))))

;; ---- Row passes with f64 row sums (src/compute/rows.ts): rows [r0, r1), sums in four lanes ----
;; Every row sum below is kept in four f64 lanes (entries j mod 4, the f32 terms promoted exactly), added as
;; ((s₀ + s₁) + s₂) + s₃, then the last cols mod 4 entries in order: the order of the JS loops in rows.ts.

  ;; The reconstruction residual of rows [r0, r1) of a (rows of cols f32), in place: a ← (a + bias) − x when $shift
  ;; (bias: cols f32, x: like a), g ← c·a (c: the f32 with bits $cbits), all in f32; sum[r] (f64) = Σ_j a².
  (func (export "resid") (param $a i32) (param $bias i32) (param $x i32) (param $shift i32) (param $cbits i32) (param $g i32) (param $sum i32) (param $cols i32) (param $r0 i32) (param $r1 i32)
    (local $r i32) (local $j i32) (local $o i32) (local $c4 i32) (local $v v128) (local $c v128) (local $lo v128) (local $hi v128)
    (local $q v128) (local $s f64) (local $x1 f32)
    (local.set $c4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $c (f32x4.splat (f32.reinterpret_i32 (local.get $cbits))))
    (local.set $r (local.get $r0))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $r) (local.get $r1)))
      (local.set $o (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 2)))
      (local.set $lo (v128.const i64x2 0 0))
      (local.set $hi (v128.const i64x2 0 0))
      (local.set $j (i32.const 0))
      (block $vd (loop $vec
        (br_if $vd (i32.ge_u (local.get $j) (local.get $c4)))
        (local.set $v (v128.load (i32.add (local.get $a) (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))))))
        (if (local.get $shift) (then
          (local.set $v (f32x4.sub
            (f32x4.add (local.get $v) (v128.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
            (v128.load (i32.add (local.get $x) (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2)))))))
          (v128.store (i32.add (local.get $a) (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2)))) (local.get $v))))
        (v128.store (i32.add (local.get $g) (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2)))) (f32x4.mul (local.get $c) (local.get $v)))
        (local.set $q (f64x2.promote_low_f32x4 (local.get $v)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (local.get $q) (local.get $q))))
        (local.set $q (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (local.get $q) (local.get $q))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vec)))
      (local.set $s (f64.add (f64.add (f64.add (f64x2.extract_lane 0 (local.get $lo)) (f64x2.extract_lane 1 (local.get $lo)))
        (f64x2.extract_lane 0 (local.get $hi))) (f64x2.extract_lane 1 (local.get $hi))))
      (block $td (loop $tail
        (br_if $td (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $x1 (f32.load (i32.add (local.get $a) (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))))))
        (if (local.get $shift) (then
          (local.set $x1 (f32.sub
            (f32.add (local.get $x1) (f32.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
            (f32.load (i32.add (local.get $x) (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2)))))))
          (f32.store (i32.add (local.get $a) (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2)))) (local.get $x1))))
        (f32.store (i32.add (local.get $g) (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))))
          (f32.mul (f32.reinterpret_i32 (local.get $cbits)) (local.get $x1)))
        (local.set $s (f64.add (local.get $s) (f64.mul (f64.promote_f32 (local.get $x1)) (f64.promote_f32 (local.get $x1)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
      (f64.store (i32.add (local.get $sum) (i32.shl (local.get $r) (i32.const 3))) (local.get $s))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows))))

  ;; Four-lane f64 sum of products x·y over one row of n f32 entries at $x and $y (the order above).
  (func $rowdot (param $x i32) (param $y i32) (param $n i32) (result f64)
    (local $j i32) (local $n4 i32) (local $lo v128) (local $hi v128) (local $a v128) (local $b v128) (local $s f64)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $lo (v128.const i64x2 0 0))
    (local.set $hi (v128.const i64x2 0 0))
    (block $vd (loop $vec
      (br_if $vd (i32.ge_u (local.get $j) (local.get $n4)))
      (local.set $a (v128.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $b (v128.load (i32.add (local.get $y) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (f64x2.promote_low_f32x4 (local.get $a)) (f64x2.promote_low_f32x4 (local.get $b)))))
      (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul
        (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a) (local.get $a)))
        (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b) (local.get $b))))))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $vec)))
    (local.set $s (f64.add (f64.add (f64.add (f64x2.extract_lane 0 (local.get $lo)) (f64x2.extract_lane 1 (local.get $lo)))
      (f64x2.extract_lane 0 (local.get $hi))) (f64x2.extract_lane 1 (local.get $hi))))
    (block $td (loop $tail
      (br_if $td (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $s (f64.add (local.get $s) (f64.mul
        (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2)))))
        (f64.promote_f32 (f32.load (i32.add (local.get $y) (i32.shl (local.get $j) (i32.const 2))))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $tail)))
    (local.get $s))

  ;; y ← f32(y·a + x·b) over one row of n f32 entries, in f64 (two entries at a time; a pure scaling is x = y, b = 0).
  (func $rowcomb (param $y i32) (param $a f64) (param $x i32) (param $b f64) (param $n i32)
    (local $j i32) (local $n4 i32) (local $va v128) (local $vb v128) (local $u v128) (local $w v128)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $va (f64x2.splat (local.get $a)))
    (local.set $vb (f64x2.splat (local.get $b)))
    (block $vd (loop $vec
      (br_if $vd (i32.ge_u (local.get $j) (local.get $n4)))
      (local.set $u (v128.load (i32.add (local.get $y) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $w (v128.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2)))))
      (v128.store (i32.add (local.get $y) (i32.shl (local.get $j) (i32.const 2)))
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (f32x4.demote_f64x2_zero (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (local.get $u)) (local.get $va))
            (f64x2.mul (f64x2.promote_low_f32x4 (local.get $w)) (local.get $vb))))
          (f32x4.demote_f64x2_zero (f64x2.add
            (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $u) (local.get $u))) (local.get $va))
            (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w))) (local.get $vb))))))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $vec)))
    (block $td (loop $tail
      (br_if $td (i32.ge_u (local.get $j) (local.get $n)))
      (f32.store (i32.add (local.get $y) (i32.shl (local.get $j) (i32.const 2)))
        (f32.demote_f64 (f64.add
          (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $y) (i32.shl (local.get $j) (i32.const 2))))) (local.get $a))
          (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))) (local.get $b)))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $tail))))

  ;; Rows [r0, r1) of g (rows of cols f32) lose their component along the matching rows of p:
  ;; g ← g − (⟨g, p⟩/⟨p, p⟩)·p in f64, rows of p with ⟨p, p⟩ = 0 skipped.
  (func (export "tangent") (param $g i32) (param $p i32) (param $cols i32) (param $r0 i32) (param $r1 i32)
    (local $r i32) (local $o i32) (local $nn f64)
    (local.set $r (local.get $r0))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $r) (local.get $r1)))
      (local.set $o (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 2)))
      (local.set $nn (call $rowdot (i32.add (local.get $p) (local.get $o)) (i32.add (local.get $p) (local.get $o)) (local.get $cols)))
      (if (f64.ne (local.get $nn) (f64.const 0)) (then
        (call $rowcomb (i32.add (local.get $g) (local.get $o)) (f64.const 1) (i32.add (local.get $p) (local.get $o))
          (f64.neg (f64.div (call $rowdot (i32.add (local.get $g) (local.get $o)) (i32.add (local.get $p) (local.get $o)) (local.get $cols)) (local.get $nn)))
          (local.get $cols))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows))))

  ;; Rows [r0, r1) of p (rows of cols f32) scaled to unit norm: p ← p·(1/√⟨p, p⟩) in f64, zero rows left as they are.
  (func (export "rownorm") (param $p i32) (param $cols i32) (param $r0 i32) (param $r1 i32)
    (local $r i32) (local $o i32) (local $nn f64)
    (local.set $r (local.get $r0))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $r) (local.get $r1)))
      (local.set $o (i32.add (local.get $p) (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 2))))
      (local.set $nn (call $rowdot (local.get $o) (local.get $o) (local.get $cols)))
      (if (f64.ne (local.get $nn) (f64.const 0)) (then
        (call $rowcomb (local.get $o) (f64.div (f64.const 1) (f64.sqrt (local.get $nn))) (local.get $o) (f64.const 0) (local.get $cols))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows))))

  ;; val[p] = z[b][idx[p]] for the positions p ∈ [ptr[b], pend[b]) of rows b ∈ [r0, r1) of a CSR structure (z: rows of N f32).
  (func (export "csrgather") (param $ptr i32) (param $pend i32) (param $idx i32) (param $z i32) (param $N i32) (param $val i32) (param $r0 i32) (param $r1 i32)
    (local $b i32) (local $p i32) (local $pe i32) (local $row i32)
    (local.set $b (local.get $r0))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $b) (local.get $r1)))
      (local.set $p (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $b) (i32.const 2)))))
      (local.set $pe (i32.load (i32.add (local.get $pend) (i32.shl (local.get $b) (i32.const 2)))))
      (local.set $row (i32.add (local.get $z) (i32.shl (i32.mul (local.get $b) (local.get $N)) (i32.const 2))))
      (block $rd (loop $l
        (br_if $rd (i32.ge_s (local.get $p) (local.get $pe)))
        (f32.store (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2)))
          (f32.load (i32.add (local.get $row) (i32.shl (i32.load (i32.add (local.get $idx) (i32.shl (local.get $p) (i32.const 2)))) (i32.const 2)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $l)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $rows))))

  ;; The ReLU's backward pass with a constant added, entries [i0, i1) of f32 arrays: dz ← dz + c where pre > 0, else
  ;; +0 (c: the f32 with bits $cbits). Four entries at a time.
  (func (export "reluback") (param $dz i32) (param $pre i32) (param $cbits i32) (param $i0 i32) (param $i1 i32)
    (local $i i32) (local $e4 i32) (local $c v128) (local $x f32)
    (local.set $c (f32x4.splat (f32.reinterpret_i32 (local.get $cbits))))
    (local.set $i (local.get $i0))
    (local.set $e4 (i32.add (local.get $i0) (i32.and (i32.sub (local.get $i1) (local.get $i0)) (i32.const -4))))
    (block $vd (loop $vec
      (br_if $vd (i32.ge_u (local.get $i) (local.get $e4)))
      (v128.store (i32.add (local.get $dz) (i32.shl (local.get $i) (i32.const 2)))
        (v128.and
          (f32x4.add (v128.load (i32.add (local.get $dz) (i32.shl (local.get $i) (i32.const 2)))) (local.get $c))
          (f32x4.gt (v128.load (i32.add (local.get $pre) (i32.shl (local.get $i) (i32.const 2)))) (v128.const i64x2 0 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $vec)))
    (block $td (loop $tail
      (br_if $td (i32.ge_u (local.get $i) (local.get $i1)))
      (f32.store (i32.add (local.get $dz) (i32.shl (local.get $i) (i32.const 2)))
        (select (f32.add (f32.load (i32.add (local.get $dz) (i32.shl (local.get $i) (i32.const 2)))) (f32.reinterpret_i32 (local.get $cbits)))
          (f32.const 0)
          (f32.gt (f32.load (i32.add (local.get $pre) (i32.shl (local.get $i) (i32.const 2)))) (f32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $tail))))

;; ---- Softmax cross-entropy (src/nn/losses.ts): rows [r0, r1) ----

  ;; e^x for x ≤ 0, in f64, two lanes: x = n·ln 2 + r (n = x·log₂e rounded to nearest even, r by Cody–Waite with
  ;; ln 2 in two parts), e^r by its Taylor polynomial of degree 12 (|r| ≤ ln 2 / 2), times 2ⁿ
  ;; added to the exponent bits; 0 where x < −708 (NaN stays NaN). Operation for operation losses.ts's expNonPositive.
  (func $exp2x (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128)
    (local.set $n (f64x2.nearest (f64x2.mul (local.get $x) (f64x2.splat (f64.const 1.4426950408889634)))))
    (local.set $r (f64x2.sub (f64x2.sub (local.get $x) (f64x2.mul (local.get $n) (f64x2.splat (f64.const 6.93147180369123816490e-01))))
      (f64x2.mul (local.get $n) (f64x2.splat (f64.const 1.90821492927058770002e-10)))))
    (local.set $p (f64x2.splat (f64.const 2.08767569878681e-09)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 2.505210838544172e-08))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 2.755731922398589e-07))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 2.7557319223985893e-06))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 2.48015873015873e-05))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0.0001984126984126984))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0.001388888888888889))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0.008333333333333333))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0.041666666666666664))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0.16666666666666666))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0.5))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 1.0))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 1.0))))
    (v128.andnot
      (i64x2.add (local.get $p) (i64x2.shl (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (local.get $n))) (i32.const 52)))
      (f64x2.lt (local.get $x) (f64x2.splat (f64.const -708)))))

  ;; Softmax cross-entropy of rows [r0, r1) of logits (rows of C f32, C ≥ 2) against labels (i32): per row mx = the
  ;; largest logit, e_j = e^(l_j − mx) (f64, kept at $ex: rows of C f64), s = Σ e_j (two lanes, j even and odd, added
  ;; then the last entry when C is odd); grad_j = f32(e_j·(1/(s·B))), then grad_y = f32(grad_y − 1/B) (grad may be
  ;; logits). mx, s and the label's logit stored f64 at $st (three per row). Operation for operation losses.ts's JS loop.
  (func (export "smce") (param $logits i32) (param $C i32) (param $labels i32) (param $grad i32) (param $ex i32) (param $st i32) (param $B i32) (param $r0 i32) (param $r1 i32)
    (local $b i32) (local $o i32) (local $j i32) (local $c2 i32) (local $e i32) (local $mx f32) (local $v f32) (local $m2 v128)
    (local $s2 v128) (local $t v128) (local $s f64) (local $inv v128) (local $y i32) (local $q i32) (local $xt f64)
    (local.set $c2 (i32.and (local.get $C) (i32.const -2)))
    (local.set $b (local.get $r0))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $b) (local.get $r1)))
      (local.set $o (i32.add (local.get $logits) (i32.shl (i32.mul (local.get $b) (local.get $C)) (i32.const 2))))
      (local.set $e (i32.add (local.get $ex) (i32.shl (i32.mul (local.get $b) (local.get $C)) (i32.const 3))))
      ;; the largest logit (first-seen order does not matter for the value)
      (local.set $mx (f32.const -inf))
      (local.set $j (i32.const 0))
      (block $md (loop $ml
        (br_if $md (i32.ge_u (local.get $j) (local.get $C)))
        (local.set $v (f32.load (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $mx (select (local.get $v) (local.get $mx) (f32.gt (local.get $v) (local.get $mx))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $ml)))
      (local.set $m2 (f64x2.splat (f64.promote_f32 (local.get $mx))))
      (local.set $s2 (v128.const i64x2 0 0))
      (local.set $j (i32.const 0))
      (block $ed (loop $el
        (br_if $ed (i32.ge_u (local.get $j) (local.get $c2)))
        (local.set $t (call $exp2x (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))))) (local.get $m2))))
        (v128.store (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3))) (local.get $t))
        (local.set $s2 (f64x2.add (local.get $s2) (local.get $t)))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $el)))
      (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $s2)) (f64x2.extract_lane 1 (local.get $s2))))
      (if (i32.lt_u (local.get $c2) (local.get $C)) (then
        (local.set $t (call $exp2x (f64x2.splat (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $o) (i32.shl (local.get $c2) (i32.const 2)))))
          (f64.promote_f32 (local.get $mx))))))
        (local.set $xt (f64x2.extract_lane 0 (local.get $t)))
        (f64.store (i32.add (local.get $e) (i32.shl (local.get $c2) (i32.const 3))) (local.get $xt))
        (local.set $s (f64.add (local.get $s) (local.get $xt)))))
      (local.set $y (i32.load (i32.add (local.get $labels) (i32.shl (local.get $b) (i32.const 2)))))
      (f64.store (i32.add (local.get $st) (i32.mul (local.get $b) (i32.const 24))) (f64.promote_f32 (local.get $mx)))
      (f64.store offset=8 (i32.add (local.get $st) (i32.mul (local.get $b) (i32.const 24))) (local.get $s))
      (f64.store offset=16 (i32.add (local.get $st) (i32.mul (local.get $b) (i32.const 24)))
        (f64.promote_f32 (f32.load (i32.add (local.get $o) (i32.shl (local.get $y) (i32.const 2))))))
      ;; the gradient
      (local.set $inv (f64x2.splat (f64.div (f64.const 1) (f64.mul (local.get $s) (f64.convert_i32_s (local.get $B))))))
      (local.set $q (i32.add (local.get $grad) (i32.shl (i32.mul (local.get $b) (local.get $C)) (i32.const 2))))
      (local.set $j (i32.const 0))
      (block $gd (loop $gl
        (br_if $gd (i32.ge_u (local.get $j) (local.get $c2)))
        (v128.store64_lane 0 (i32.add (local.get $q) (i32.shl (local.get $j) (i32.const 2)))
          (f32x4.demote_f64x2_zero (f64x2.mul (v128.load (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3)))) (local.get $inv))))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $gl)))
      (if (i32.lt_u (local.get $c2) (local.get $C)) (then
        (f32.store (i32.add (local.get $q) (i32.shl (local.get $c2) (i32.const 2)))
          (f32.demote_f64 (f64.mul (f64.load (i32.add (local.get $e) (i32.shl (local.get $c2) (i32.const 3)))) (f64x2.extract_lane 0 (local.get $inv)))))))
      (f32.store (i32.add (local.get $q) (i32.shl (local.get $y) (i32.const 2)))
        (f32.demote_f64 (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $q) (i32.shl (local.get $y) (i32.const 2)))))
          (f64.div (f64.const 1) (f64.convert_i32_s (local.get $B))))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $rows))))
)
