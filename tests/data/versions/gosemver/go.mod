module gosemver

go 1.19
