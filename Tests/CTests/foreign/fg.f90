! Form 2: a Fortran subroutine, arguments by reference (gfortran's symbol is fg_):
!   void fg_(const int *n, const double *x, double *f, double *g)
! the n-dimensional Rosenbrock function and its gradient.
subroutine fg(n, x, f, g)
    implicit none
    integer, intent(in) :: n
    double precision, intent(in) :: x(n)
    double precision, intent(out) :: f, g(n)
    integer :: i
    double precision :: t, u
    f = 0d0
    g = 0d0
    do i = 1, n - 1
        t = x(i + 1) - x(i)**2
        u = 1d0 - x(i)
        f = f + 100d0 * t**2 + u**2
        g(i) = g(i) - 400d0 * x(i) * t - 2d0 * u
        g(i + 1) = g(i + 1) + 200d0 * t
    end do
end subroutine fg
